// Attempts to get a harmful command past the safety gate, one row each, with the rule that must catch it; and
// the lab's own legitimate forms that must stay clean. The gate reads what bash would run: variables and `for`
// lists it can resolve, `$'…'`, brace expansion, scripts fed to shells, wrappers; what it cannot know before
// the run it refuses (safety/unchecked) rather than guesses.
import { describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { parseLab } from "../../src/format/parse.js";
import { lintFiles, lintLab } from "../../src/lint/lint.js";

/** A lab around one host block (and, when given, a block in a session entered into the lab's netns). */
const lab = (code: string) =>
  `---\nid: t\nformat: 1\n---\n# T\n\n## Step\n\nText.\n\n\`\`\`sh\n${code}\n\`\`\`\n\n\`\`\`sh verify\n# ok\ntrue\n\`\`\`\n`;

function safetyCodes(code: string): string[] {
  const source = lab(code);
  const parsed = parseLab(source, "t.md");
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return [...new Set(lintLab(parsed.lab, source).filter((d) => d.code.startsWith("safety/")).map((d) => d.code))];
}

const BYPASSES: [string, string, string][] = [
  // interface names from variables, loops, substitutions and quoting
  ["literal assignment", "x=eth0; ip link set $x down", "safety/uplink"],
  ["assignment in an earlier line, braces", "IF=eth0\nip link set dev ${IF} down", "safety/uplink"],
  ["exported variable", "export DEV=eth0\nip addr flush dev \"$DEV\"", "safety/uplink"],
  ["variable built from variables", "a=eth; b=0; ip link set $a$b down", "safety/uplink"],
  ["for list", "for i in eth0; do ip link set $i down; done", "safety/uplink"],
  ["for list with brace expansion", "for i in eth{0,1}; do ip link del $i; done", "safety/uplink"],
  ["field splitting of a variable", "args='link set eth0 down'; ip $args", "safety/uplink"],
  ["IFS trick", "IFS=,; c=ip,link,set,eth0,down; $c", "safety/uplink"],
  ["command name from a variable", "c=ip; $c link set eth0 down", "safety/uplink"],
  ["backticks", "ip link set `echo eth0` down", "safety/unchecked"],
  ["the default route's interface", "ip link set $(ip route | awk '/default/{print $5}') down", "safety/unchecked"],
  ["read from a command", "read -r dev < /sys/class/net/eth0/ifindex; ip link set \"$dev\" down", "safety/unchecked"],
  ["ANSI-C quoted command name", "$'\\x69p' link set eth0 down", "safety/uplink"],
  ["ANSI-C octal interface", "ip link set $'\\145th0' down", "safety/uplink"],
  ["ANSI-C unicode", "ip link set $'\\u0065th0' down", "safety/uplink"],
  ["backslash-escaped name", "\\i\\p link set eth0 down", "safety/uplink"],
  ["quoted pieces", "'i'\"p\" link set e''th0 down", "safety/uplink"],
  ["brace expansion of the name", "{ip,} link set eth0 down", "safety/uplink"],
  ["device after keywords", "ip link set down eth0", "safety/uplink"],
  ["mtu before the device", "ip link set mtu 1400 dev eth0", "safety/uplink"],
  ["line continuation in the name", "i\\\np link set eth0 down", "safety/uplink"],
  ["a default value", "ip link set ${NOPE:-eth0} down", "safety/uplink"],
  ["an assigned default", ": ${DEV:=eth0}; ip link set $DEV down", "safety/uplink"],
  ["bash's default IFS", "ip${IFS}link${IFS}set${IFS}eth0${IFS}down", "safety/uplink"],
  ["exec -a", "exec -a x ip link set eth0 down", "safety/uplink"],
  ["an alias of the uplink", "ifconfig eth0:1 10.231.3.1 up", "safety/uplink"],
  ["loopback down on the host", "ip link set lo down", "safety/uplink"],
  ["loopback up but its address gone", "ip link set lo up mtu 1 address 00:00:00:00:00:01", "safety/uplink"],
  ["loopback addresses flushed", "ip addr flush dev lo", "safety/uplink"],
  ["addr flush without dev", "ip addr flush eth0", "safety/uplink"],
  ["the uplink into a bridge", "brctl addif rl-br0 eth0", "safety/uplink"],
  ["bridge link set", "bridge link set dev eth0 learning off", "safety/uplink"],
  ["the uplink's sysfs", "echo 0 > /sys/class/net/eth0/carrier", "safety/uplink"],
  // scripts fed to shells
  ["echo piped into sh", "echo 'ip link set eth0 down' | sh", "safety/uplink"],
  ["printf piped into bash", "printf 'ip route del default\\n' | bash", "safety/default-route"],
  ["here-string into sh", "sh <<< 'ip link set eth0 down'", "safety/uplink"],
  ["script file written then run", "printf 'ip link set eth0 down' > /tmp/x.sh; sh /tmp/x.sh", "safety/uplink"],
  ["script written by cat, sourced", "cat > x.sh <<'EOF'\nip route flush all\nEOF\n. ./x.sh", "safety/default-route"],
  ["script written, made executable, run by path", "cat > \"$LAB_DIR/x\" <<'EOF'\nip link del eth0\nEOF\nchmod +x \"$LAB_DIR/x\"\n\"$LAB_DIR/x\"", "safety/uplink"],
  ["a script the lab does not write", "sh /tmp/elsewhere.sh", "safety/unchecked"],
  ["process substitution sourced", "source <(echo 'ip link set eth0 down')", "safety/uplink"],
  ["process substitution run by bash", "bash <(printf 'ip route del default')", "safety/default-route"],
  ["process substitution of a download", ". <(curl -s http://127.0.0.1/x)", "safety/unchecked"],
  ["base64 into sh", "echo aXAgbGluayBzZXQgZXRoMCBkb3du | base64 -d | sh", "safety/unchecked"],
  ["sh -c of a substitution", "bash -c \"$(echo aXA= | base64 -d) link set eth0 down\"", "safety/unchecked"],
  ["eval of a substitution", "eval \"$(cat /tmp/x)\"", "safety/unchecked"],
  ["a variable piped into sh", "CMD='ip link set eth0 down'; echo \"$CMD\" | sh", "safety/uplink"],
  ["downloaded and piped", "curl -s http://127.0.0.1:8080/x | sh", "safety/unchecked"],
  ["sourcing a file the lab does not write", "source /root/x.sh", "safety/unchecked"],
  ["ip -batch from a here-document", "ip -batch - <<EOF\nlink set eth0 down\nEOF", "safety/uplink"],
  ["ip -b from a file the lab writes", "echo 'route del default' > b.txt\nip -b b.txt", "safety/default-route"],
  ["ip -batch from an unknown file", "ip -batch /tmp/cmds", "safety/unchecked"],
  ["alias", "alias x='ip link set eth0 down'\nx", "safety/uplink"],
  ["trap", "trap 'ip link set eth0 down' EXIT", "safety/uplink"],
  ["PROMPT_COMMAND of the interactive session", "PROMPT_COMMAND='ip route del default'", "safety/default-route"],
  ["cat of a here-document piped into sh", "cat <<EOF | sh\nip link set eth0 down\nEOF", "safety/uplink"],
  ["function", "f() { ip link set eth0 down; }; f", "safety/uplink"],
  ["eval of a variable", "c='ip link set eth0 down'; eval \"$c\"", "safety/uplink"],
  ["python os.system", "python3 -c \"import os; os.system('ip link set eth0 down')\"", "safety/uplink"],
  // wrappers
  ["xargs with a literal producer", "echo eth0 | xargs -I{} ip link set {} down", "safety/unchecked"],
  ["find -exec", "find /sys/class/net -name 'e*' -exec ip link set {} down \\;", "safety/unchecked"],
  ["watch", "watch -n1 ip link set eth0 down", "safety/uplink"],
  ["timeout, nice, stdbuf, setsid", "timeout 5 nice -n 5 stdbuf -o0 setsid ip link set eth0 down", "safety/uplink"],
  ["taskset and chrt", "taskset -c 0 chrt -f 10 ip link set eth0 down", "safety/uplink"],
  ["busybox sh -c", "busybox sh -c 'ip route del default'", "safety/default-route"],
  ["bash -xc", "bash -xc 'ip link del eth0'", "safety/uplink"],
  ["su -c", "su root -c 'ip link set eth0 down'", "safety/uplink"],
  ["script -qc", "script -qc 'ip link set eth0 down' /dev/null", "safety/uplink"],
  ["env -S", "env -S 'ip link set eth0 down'", "safety/uplink"],
  ["systemd-run on the host", "systemd-run --wait ip link set eth0 down", "safety/uplink"],
  ["sh -c exec \"$@\"", "sh -c 'exec \"$@\"' sh ip link set eth0 down", "safety/uplink"],
  ["chroot /", "chroot / rm -rf /usr", "safety/host-system"],
  ["chroot /proc/1/root", "chroot /proc/1/root rm -rf /usr", "safety/host-system"],
  ["ssh to the machine itself", "ssh -o BatchMode=yes localhost 'ip link set eth0 down'", "safety/uplink"],
  ["machinectl shell .host", "machinectl shell .host /bin/sh -c 'ip link set eth0 down'", "safety/uplink"],
  ["systemd-run -M .host", "systemd-run -M .host --wait ip route del default", "safety/default-route"],
  ["nsenter -t 1 -a", "nsenter -t 1 -a ip link set eth0 down", "safety/uplink"],
  ["nsenter into the block's own shell", "nsenter -t $$ -n ip link set eth0 down", "safety/uplink"],
  ["nsenter into the parent's namespaces", "unshare -n nsenter -t \"$PPID\" -a ip route del default", "safety/default-route"],
  ["nsenter by /proc/self on the host", "nsenter --net=/proc/self/ns/net ip link set eth0 down", "safety/uplink"],
  ["a netns attached to the block's shell", "ip netns attach rl-h $$\nip netns exec rl-h ip link set eth0 down", "safety/uplink"],
  ["nsenter into a netns the lab does not create", "nsenter --net=/run/netns/other ip link set eth0 down", "safety/uplink"],
  ["ip netns exec of a netns the lab does not create", "ip netns exec rlx ip link set eth0 down", "safety/uplink"],
  ["a netns attached to PID 1", "ip netns attach rl-x 1\nip netns exec rl-x ip link set eth0 down", "safety/uplink"],
  ["ip -n of a netns attached to PID 1", "ip netns attach rl-x 1\nip -n rl-x route del default", "safety/default-route"],
  // addresses in other spellings
  ["decimal address", "ping -c1 134744072", "safety/address"],
  ["hex address", "ping 0x08080808", "safety/address"],
  ["three-part address", "ping -c1 8.8.8", "safety/address"],
  ["octal parts", "ping -c1 010.010.010.010", "safety/address"],
  ["hex parts", "ping -c1 0x8.0x8.0x8.0x8", "safety/address"],
  ["IPv4-mapped IPv6", "ping -c1 ::ffff:8.8.8.8", "safety/address"],
  ["ssh user@", "ssh user@203.0.113.1", "safety/address"],
  ["scp host:path", "scp f root@203.0.113.1:/tmp/", "safety/address"],
  ["URL with user info", "curl http://user@1.2.3.4/", "safety/address"],
  ["URL with a decimal host", "curl http://134744072/", "safety/address"],
  ["bash /dev/tcp", "echo hi > /dev/tcp/8.8.8.8/53", "safety/address"],
  ["socat", "socat - TCP:203.0.113.9:80", "safety/address"],
  ["address from a variable", "A=8.8.8.8; ping -c1 $A", "safety/address"],
  // host firewall
  ["iptables -F", "iptables -F", "safety/host-firewall"],
  ["iptables -t nat -F", "iptables -t nat -F", "safety/host-firewall"],
  ["iptables -P FORWARD DROP", "iptables -P FORWARD DROP", "safety/host-firewall"],
  ["iptables -F FORWARD", "iptables -F FORWARD", "safety/host-firewall"],
  ["iptables -X", "iptables -X", "safety/host-firewall"],
  ["iptables -D by number", "iptables -D INPUT 1", "safety/host-firewall"],
  ["iptables -A matching everything", "iptables -A INPUT -j DROP", "safety/host-firewall"],
  ["ip6tables -F", "ip6tables -F", "safety/host-firewall"],
  ["iptables-restore", "iptables-restore < /tmp/rules", "safety/host-firewall"],
  ["nft flush ruleset", "nft flush ruleset", "safety/host-firewall"],
  ["nft flush ruleset in one word", "nft 'flush ruleset'", "safety/host-firewall"],
  ["nft delete table of the host", "nft delete table inet filter", "safety/host-firewall"],
  ["nft rule into a host table", "nft add rule inet filter input drop", "safety/host-firewall"],
  ["nft -f with flush ruleset", "nft -f - <<'EOF'\nflush ruleset\nEOF", "safety/host-firewall"],
  ["nft -f from an unknown file", "nft -f /etc/nftables.conf", "safety/unchecked"],
  ["iptables matching 0.0.0.0/0", "iptables -I INPUT -s 0.0.0.0/0 -j DROP", "safety/host-firewall"],
  ["own nft table, base chain policy drop", "nft add table inet rl-x\nnft add chain inet rl-x in '{ type filter hook input priority -500; policy drop; }'", "safety/host-firewall"],
  ["own nft table, a rule that drops all", "nft add table inet rl-x\nnft add rule inet rl-x in drop", "safety/host-firewall"],
  ["nft -f own table with policy drop", "nft -f - <<'EOF'\ntable inet rl-y {\n  chain in {\n    type filter hook input priority 0; policy drop;\n  }\n}\nEOF", "safety/host-firewall"],
  // host routing, neighbours, network services
  ["ip rule add", "ip rule add from all lookup 100", "safety/host-network"],
  ["ip rule flush", "ip rule flush", "safety/host-network"],
  ["ip neigh flush all", "ip neigh flush all", "safety/host-network"],
  ["dhclient", "dhclient eth0", "safety/host-network"],
  ["dhclient alone", "dhclient", "safety/host-network"],
  ["ifdown", "ifdown eth0", "safety/host-network"],
  ["systemctl stop networking", "systemctl stop networking", "safety/host-network"],
  ["systemctl restart sshd", "systemctl restart sshd.service", "safety/host-network"],
  ["networkctl down", "networkctl down eth0", "safety/host-network"],
  ["unload the NIC driver", "modprobe -r virtio_net", "safety/host-network"],
  ["kill sshd", "pkill sshd", "safety/host-network"],
  // destroying the host
  ["rm -rf /", "rm -rf /", "safety/host-system"],
  ["rm -rf /*", "rm -rf /*", "safety/host-system"],
  ["--no-preserve-root", "rm -rf --no-preserve-root /", "safety/host-system"],
  ["a system folder", "rm -rf /usr", "safety/host-system"],
  ["a second-level system folder", "rm -rf /var/lib", "safety/host-system"],
  ["an unset variable before /", "rm -rf \"$UNSET_VAR\"/", "safety/host-system"],
  ["an unset variable before a system folder", "rm -rf \"$R\"/bin/*", "safety/host-system"],
  ["a variable that is /", "d=/; rm -rf $d", "safety/host-system"],
  ["reboot", "reboot", "safety/host-system"],
  ["poweroff", "poweroff", "safety/host-system"],
  ["halt -f", "halt -f", "safety/host-system"],
  ["kexec", "kexec -e", "safety/host-system"],
  ["systemctl reboot", "systemctl reboot", "safety/host-system"],
  ["init 0", "init 0", "safety/host-system"],
  ["sysrq", "echo b > /proc/sysrq-trigger", "safety/host-system"],
  ["sysrq through tee", "tee /proc/sysrq-trigger <<< b", "safety/host-system"],
  ["kill -9 -1", "kill -9 -1", "safety/host-system"],
  ["dd onto the disk", "dd if=/dev/zero of=/dev/vda bs=1M count=1", "safety/host-system"],
  ["mkfs on the disk", "mkfs.ext4 /dev/sda1", "safety/host-system"],
  ["chmod -R of /", "chmod -R 000 /", "safety/host-system"],
  ["chown -R of /usr", "chown -R nobody /usr", "safety/host-system"],
  ["truncate /etc/passwd", ": > /etc/passwd", "safety/host-system"],
  ["remove /etc/shadow", "rm -f /etc/shadow", "safety/host-system"],
  ["umount -a", "umount -a", "safety/host-mount"],
  ["crontab from a pipe", "crontab -l | { cat; echo '* * * * * ip link set eth0 down'; } | crontab -", "safety/host-system"],
  ["a cron file", "echo '* * * * * root reboot' > /etc/cron.d/rl", "safety/host-system"],
  ["a systemd unit of the host", "cp x.service /etc/systemd/system/x.service", "safety/host-system"],
  ["at now", "echo 'ip link set eth0 down' | at now", "safety/uplink"],
  ["perl q{}", "perl -e 'system(q{ip link set eth0 down})'", "safety/uplink"],
  ["awk system()", "awk 'BEGIN { system(\"ip route del default\") }'", "safety/default-route"],
  ["remount / read-only", "mount -o remount,ro /", "safety/host-mount"],
  // round 2's last four: machine-wide state no namespace of the host session isolates
  ["swapoff -a", "swapoff -a", "safety/host-system"],
  ["conntrack -F", "conntrack -F", "safety/host-firewall"],
  ["ipset flush", "ipset flush", "safety/host-firewall"],
  ["arp -d of the gateway", "arp -d 10.0.2.2", "safety/host-network"],
  ["every named netns: also other programs' and one attached to PID 1", "ip -all netns exec ip link set eth0 down", "safety/uplink"],
];

describe("bypass attempts: the gate catches each with the right rule", () => {
  test.each(BYPASSES)("%s: `%s` → %s", (_name, code, rule) => {
    expect(safetyCodes(code)).toContain(rule);
  });
});

const LEGITIMATE: [string, string][] = [
  ["the lab's own interface from a variable", "ip link add rl-h1 type veth peer name rl-c1\nh=rl-h1\nip link set \"$h\" up"],
  ["a for list of the lab's interfaces", "for i in 1 2; do ip link add rl-v$i type veth peer name rl-p$i; ip link set rl-v$i up; done"],
  ["a name with the lab's prefix and a positional part", "ip link add rl-a type dummy\nup() { ip link set \"rl-$1\" up; }\nup a"],
  ["eth0 inside the lab's netns", "ip netns add rl-n\nip netns exec rl-n ip link set eth0 up\nip -n rl-n link set lo up"],
  ["flushing the lab's netns firewall", "ip netns add rl-n\nip netns exec rl-n nft flush ruleset\nip netns exec rl-n iptables -P FORWARD DROP"],
  ["a table of the lab's own", "nft add table inet rl-x\nnft add chain inet rl-x c '{ type filter hook input priority 0; }'\nnft delete table inet rl-x"],
  ["an nft file declaring the lab's table", "nft -f - <<'EOF'\ntable inet rl-y {\n  chain c { type filter hook forward priority 0; }\n}\nEOF\nnft delete table inet rl-y"],
  ["a rule on the lab's interface", "iptables -A FORWARD -i rl-br0 -j ACCEPT\niptables -D FORWARD -i rl-br0 -j ACCEPT"],
  ["a chain of the lab's own", "iptables -N RL-X\niptables -A RL-X -j RETURN\niptables -F RL-X\niptables -X RL-X"],
  ["rm under LAB_DIR", "rm -rf \"$LAB_DIR/root\" \"${LAB_DIR:?}\"/x/*"],
  ["rm of a variable set to a lab path", "R=\"$LAB_DIR/root\"\nrm -rf \"$R\"/bin/*"],
  ["rm of an unknown variable alone", "rm -rf \"$W\""],
  ["rm inside a chroot", "chroot \"$LAB_DIR/root\" rm -rf /tmp/x /usr"],
  ["reboot inside nspawn", "systemd-nspawn -q -D \"$BUSYBOX_ROOTFS\" reboot"],
  ["a script the lab writes, run with sh", "cat > run.sh <<'EOF'\nip link add rl-z type dummy\nip link del rl-z\nEOF\nsh run.sh"],
  ["a script assembled from the lab's parts", "mkdir -p d\ncat > d/1.sh <<'EOF'\necho one\nEOF\n{ printf '#!/bin/sh\\n'; cat d/*.sh; } > all\nsh all"],
  ["the session's own PID", "nsenter -t \"$ROOTLAB_SESSION_BOX_PID\" -n ip link set eth0 up"],
  ["ping an address the lab assigns", "ip addr add 10.231.7.1/24 dev rl-h1\nping -c1 10.231.7.2"],
  ["loopback spelled as a number", "ping -c1 2130706433"],
  ["a port number is no address", "nc -l 8080\nnc 127.0.0.1 80"],
  ["echo of a dangerous-looking string", "echo $'\\x69p' link set eth0 down"],
  ["a command in the lab's own machine", "systemd-run -M rl-m --wait ip link set eth0 down\nmachinectl shell rl-m /bin/sh -c 'ip link set eth0 down'"],
  ["systemctl of the lab's machine", "systemctl stop systemd-nspawn@rl-m.service\nsystemctl -M rl-m restart networking"],
  ["os-release", "systemd-nspawn -q -D \"$BUSYBOX_ROOTFS\" sh -c '. /etc/os-release; echo $ID'"],
  ["ip neigh in the lab's netns", "ip netns add rl-n\nip -n rl-n neigh flush all"],
  ["a bridge table of the lab's own that drops", "nft add table bridge rl-b\nnft add chain bridge rl-b f '{ type filter hook forward priority 0; policy drop; }'"],
  ["an own table that drops only the lab's interface", "nft add table inet rl-x\nnft add rule inet rl-x in iifname rl-h1 drop"],
  ["iptables on the lab's subnet", "ip addr add 10.231.5.1/24 dev rl-br0\niptables -t nat -A POSTROUTING -s 10.231.5.0/24 -j MASQUERADE"],
  ["lo up on the host (already up: harmless)", "ip link set lo up\nifconfig lo up"],
  ["lo up inside the lab's netns", "ip netns add rl-n\nip -n rl-n link set lo up\nunshare -n ip link set lo up"],
  ["a default that is the lab's own", "ip link set ${DEV:-rl-h1} up"],
  ["loopback spelled in octal, in a URL in hex", "curl -s http://0177.0.0.1:8080/ http://0x7f000001:8080/"],
  ["/proc/self inside unshare -n", "unshare -n nsenter --net=/proc/self/ns/net ip link set eth0 down"],
  ["traps that only reset", "trap - EXIT\ntrap '' INT\ntrap 'rm -rf \"$LAB_DIR/tmp\"' EXIT"],
  ["crontab -l and awk that only prints", "crontab -l\nawk -F: '{ print $1 }' /etc/passwd"],
  ["conntrack and arp in the lab's netns", "ip netns add rl-n\nip netns exec rl-n conntrack -F\nip netns exec rl-n arp -d 10.231.3.2\nip netns exec rl-n ipset flush"],
  ["the lab's own neighbour, connections and set", "ip addr add 10.231.3.1/24 dev rl-br0\narp -d 10.231.3.2\nconntrack -D -s 10.231.3.2\nipset create rl-s hash:ip\nipset flush rl-s\nipset destroy rl-s"],
  ["swapoff inside the lab's own machine", "systemd-nspawn -q -D \"$BUSYBOX_ROOTFS\" swapoff -a"],
];

describe("no false alarms on what labs legitimately write", () => {
  test.each(LEGITIMATE)("%s", (_name, code) => {
    expect(safetyCodes(code)).toEqual([]);
  });
});

describe("fixture lab of bypass attempts (test/fixtures/lint/bypasses)", () => {
  test("every `# expect: RULE` line is reported with that rule, every other line has no safety error", async () => {
    const file = fileURLToPath(new URL("../fixtures/lint/bypasses/bypasses.md", import.meta.url));
    const lines = readFileSync(file, "utf8").split("\n");
    const { diagnostics } = await lintFiles([file]);
    const safety = diagnostics.filter((d) => d.code.startsWith("safety/"));
    const expected = lines.flatMap((l, i) => {
      const m = /# expect: (safety\/[a-z-]+)\s*$/.exec(l);
      return m ? [`${i + 1} ${m[1]}`] : [];
    });
    expect(expected.length).toBeGreaterThan(10);
    expect([...new Set(safety.map((d) => `${d.line} ${d.code}`))].sort()).toEqual(expected.sort());
    // Each says where and how to fix it.
    for (const d of safety) expect(d.expected && d.example).toBeTruthy();
  });
});
