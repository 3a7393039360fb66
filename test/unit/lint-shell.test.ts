// The pieces the safety rules read commands with: simple commands, wrappers, addresses. Table-driven.
import { describe, expect, test } from "vitest";
import { simpleCommands } from "../../src/shell/commands.js";
import { unwrap } from "../../src/lint/unwrap.js";
import { contains, parseSubnet } from "../../src/lint/addresses.js";

describe("simpleCommands", () => {
  test.each([
    ["ip netns add x", [["ip", "netns", "add", "x"]]],
    ["a && b || c | d; e", [["a"], ["b"], ["c"], ["d"], ["e"]]],
    ["echo 'a b' \"c $D\"", [["echo", "a b", "c $D"]]],
    ["X=1 Y=2 cmd arg", [["cmd", "arg"]]],
    ["if true; then mount x /y; fi", [["true"], ["mount", "x", "/y"]]],
    ["echo hi # ping 8.8.8.8", [["echo", "hi"]]],
    ["cat <<EOF\nping 8.8.8.8\nEOF\nls", [["cat"], ["ls"]]],
    ["cat <<-'END'\n\tmount / /\n\tEND\nls", [["cat"], ["ls"]]],
    ["ip link \\\n  add x", [["ip", "link", "add", "x"]]],
    ["v=$(ip route get 1.2.3.4)", [["ip", "route", "get", "1.2.3.4"]]],
  ])("%j", (code, expected) => {
    expect(simpleCommands(code).map((c) => c.words)).toEqual(expected);
  });

  test("positions: 0-based line within the code, 1-based column", () => {
    expect(simpleCommands("ls\n  ip a; echo x").map((c) => [c.words[0], c.line, c.column])).toEqual([["ls", 0, 1], ["ip", 1, 3], ["echo", 1, 9]]);
  });

  test("redirections and background", () => {
    const [cmd] = simpleCommands("echo 1 > /proc/sys/net/ipv4/ip_forward 2>/dev/null &");
    expect(cmd?.redirects).toEqual([{ op: ">", target: "/proc/sys/net/ipv4/ip_forward", raw: "/proc/sys/net/ipv4/ip_forward" }, { op: ">", target: "/dev/null", raw: "/dev/null" }]);
    expect(cmd?.background).toBe(true);
    expect(cmd?.words).toEqual(["echo", "1"]);
  });
});

describe("unwrap", () => {
  const run = (line: string) => {
    const [cmd] = simpleCommands(line);
    return unwrap(cmd?.words ?? [], cmd?.literal ?? []);
  };
  test.each([
    ["mount -t proc proc /proc", ["mount"], { net: false, mnt: false, root: false, pid: false, uts: false, proc: false }],
    ["sudo timeout 5 ping -c1 x", ["ping"], { net: false, mnt: false, root: false, pid: false, uts: false, proc: false }],
    ["ip netns exec ns sysctl -w a=1", ["sysctl"], { net: true, mnt: true, root: false, pid: false, uts: false, proc: false }],
    // A literal PID on the host is a process the lab did not start (1 is the host's init): the host's namespaces.
    ["nsenter -t 1 -n ip link", ["ip"], { net: false, mnt: false, root: false, pid: false, uts: false, proc: false }],
    ["nsenter --target 5 --all sh", ["sh"], { net: false, mnt: false, root: false, pid: false, uts: false, proc: false }],
    ["nsenter --net=/proc/1/ns/net ip link", ["ip"], { net: false, mnt: false, root: false, pid: false, uts: false, proc: false }],
    // A PID held in a variable is the lab's own session or process.
    ['nsenter -t "$ROOTLAB_SESSION_BOX_PID" -n ip link', ["ip"], { net: true, mnt: false, root: false, pid: false, uts: false, proc: false }],
    ['nsenter -t "$P" -a sh', ["sh"], { net: true, mnt: true, root: false, pid: true, uts: true, proc: true }],
    ["nsenter --net=/run/netns/rl-a ip link", ["ip"], { net: true, mnt: false, root: false, pid: false, uts: false, proc: false }],
    ["unshare --fork --pid --mount-proc bash", ["bash"], { net: false, mnt: true, root: false, pid: true, uts: false, proc: true }],
    ["unshare -nm sh", ["sh"], { net: true, mnt: true, root: false, pid: false, uts: false, proc: false }],
    ['chroot "$ROOT" /bin/sh', ["/bin/sh"], { net: false, mnt: false, root: true, pid: false, uts: false, proc: false }],
    ['systemd-nspawn -q -D "$R" -M x /bin/sh', ["/bin/sh"], { net: false, mnt: true, root: true, pid: true, uts: true, proc: true }],
    ["systemd-nspawn -D r --network-veth /bin/sh", ["/bin/sh"], { net: true, mnt: true, root: true, pid: true, uts: true, proc: true }],
    ["env A=1 nohup setsid ip link set eth0 down", ["ip"], { net: false, mnt: false, root: false, pid: false, uts: false, proc: false }],
  ])("%s", (line, first, isolation) => {
    const u = run(line);
    expect(u.words.slice(0, 1)).toEqual(first);
    expect(u.isolation).toEqual(isolation);
  });

  test("inside the box's own PID namespace, PID 1 is the box's init", () => {
    const [cmd] = simpleCommands("nsenter -t 1 -n ip link");
    const box = { net: true, mnt: true, root: false, pid: true, uts: true, proc: true };
    expect(unwrap(cmd?.words ?? [], cmd?.literal ?? [], box).isolation).toEqual(box);
  });

  test("with the host's /proc (unshare --pid without --mount-proc), PID 1 is still the host's init", () => {
    const [cmd] = simpleCommands("unshare -p -f -n nsenter -t 1 -n ip link");
    expect(unwrap(cmd?.words ?? [], cmd?.literal ?? []).isolation.net).toBe(false);
  });

  test("sh -c keeps the script for the rules", () => {
    expect(run("unshare -m sh -c 'mount -t tmpfs t /mnt'").script).toBe("mount -t tmpfs t /mnt");
  });
});

describe("addresses", () => {
  test.each([
    ["10.231.3.0/24", "10.231.3.7", true],
    ["10.231.3.0/24", "10.231.4.7", false],
    ["127.0.0.0/8", "127.1.2.3", true],
    ["fd00:1::/64", "fd00:1::5", true],
    ["fd00:1::/64", "fd00:2::5", false],
    ["::1/128", "::1", true],
    ["10.231.3.1/24", "10.231.3.200", true],
  ])("%s contains %s: %s", (net, addr, yes) => {
    const n = parseSubnet(net);
    const a = parseSubnet(addr);
    if (!n || !a) throw new Error("both must parse");
    expect(contains(n, a)).toBe(yes);
  });

  test.each(["256.1.1.1", "1.2.3", "host.example", "1.2.3.4/33", "fe80:::1", ":"])("%s is not an address", (text) => {
    expect(parseSubnet(text)).toBeUndefined();
  });
});
