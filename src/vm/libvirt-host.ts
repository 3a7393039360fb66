// libvirt's daemons on a host with no init system to run them (CI machines, containers): start them with the
// /dev/kvm fix libvirt needs, and stop them leaving nothing behind. Facts: ../shared/design/VM-NOTES.md.
// On a host whose init system runs libvirtd, `startLibvirt` finds it running and `stopLibvirt` leaves it alone.
import { existsSync } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import { runCommand } from "../host/run.js";

/**
 * libvirt's system connection, the one vagrant-libvirt uses. ROOTLAB_LIBVIRT_URI points every libvirt call of
 * rootlab (and of the Vagrantfile) elsewhere; tests point it at a socket that does not exist, so that a fake
 * `vagrant` can never lead rootlab to a real libvirt's domains, volumes or networks.
 */
export function libvirtUri(): string {
  return process.env.ROOTLAB_LIBVIRT_URI || "qemu:///system";
}
const DAEMONS = [
  { name: "virtlogd", pidFile: "/run/virtlogd.pid" },
  { name: "libvirtd", pidFile: "/run/libvirtd.pid" },
] as const;

export interface LibvirtSession {
  startedByUs: boolean;
  /** /dev/kvm's mode and group before we changed them (restored on stop). */
  kvmBefore?: { mode: number; gid: number };
  /** nftables tables that existed before libvirtd ran (the ones it creates are removed on stop). */
  tablesBefore: string[];
}

export async function libvirtReachable(): Promise<boolean> {
  return (await runCommand("virsh", ["--connect", libvirtUri(), "-q", "uri"], { timeoutMs: 15_000 })).ok;
}

export async function hasInitSystem(): Promise<boolean> {
  const comm = await readFile("/proc/1/comm", "utf8").catch(() => "");
  return comm.trim() === "systemd" && existsSync("/run/systemd/system");
}

/** How to get libvirtd answering on this host: by its init system, else by hand (the /dev/kvm fix included). */
export async function libvirtStartAdvice(): Promise<string> {
  return (await hasInitSystem())
    ? "start it: `sudo systemctl start libvirtd` (and add yourself to the libvirt group)"
    : "no init system runs it here: start it as root with `chgrp kvm /dev/kvm; chmod 660 /dev/kvm; virtlogd -d; libvirtd -d` (the /dev/kvm mode avoids a 52 s QEMU re-probe per VM start); stop it later by the pids in /run/libvirtd.pid and /run/virtlogd.pid";
}

async function nftTables(): Promise<string[]> {
  const r = await runCommand("nft", ["list", "tables"]);
  return r.ok ? r.stdout.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("table ")) : [];
}

async function until(what: string, ms: number, test: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`libvirt: ${what} did not happen within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250)); // polling a daemon's readiness: there is no event to wait for
  }
}

/** Starts virtlogd and libvirtd unless libvirt already answers. Call `stopLibvirt` with the result, always. */
export async function startLibvirt(): Promise<LibvirtSession> {
  const tablesBefore = await nftTables();
  if (await libvirtReachable()) return { startedByUs: false, tablesBefore };
  const session: LibvirtSession = { startedByUs: true, tablesBefore };
  // Without udev /dev/kvm is 0600 root: libvirt then re-probes QEMU on every domain define (52 s each).
  if (existsSync("/dev/kvm")) {
    const st = await stat("/dev/kvm");
    session.kvmBefore = { mode: st.mode & 0o7777, gid: st.gid };
    await runCommand("chgrp", ["kvm", "/dev/kvm"]);
    await runCommand("chmod", ["0660", "/dev/kvm"]);
  }
  for (const d of DAEMONS) {
    const r = await runCommand(d.name, ["-d"], { timeoutMs: 30_000 });
    if (!r.ok) throw new Error(`could not start ${d.name}: ${r.reason}. Install libvirt-daemon-system.`);
  }
  await until(`libvirtd answering on ${libvirtUri()}`, 120_000, libvirtReachable);
  return session;
}

async function pidOf(pidFile: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
  return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : undefined;
}

/** Stops what `startLibvirt` started and removes what libvirtd leaves behind: firewall chains, tables, /run/libvirt. */
export async function stopLibvirt(session: LibvirtSession): Promise<string[]> {
  const problems: string[] = [];
  if (!session.startedByUs) return problems;
  for (const d of [...DAEMONS].reverse()) {
    const pid = await pidOf(d.pidFile);
    if (pid === undefined) continue;
    process.kill(pid, "SIGTERM");
    await until(`${d.name} (pid ${pid}) exiting`, 30_000, async () => !existsSync(`/proc/${pid}`)).catch((e: Error) => {
      process.kill(pid, "SIGKILL");
      problems.push(e.message);
    });
    await rm(d.pidFile, { force: true });
  }
  problems.push(...(await removeLibvirtFirewall(session.tablesBefore)));
  await rm("/run/libvirt", { recursive: true, force: true });
  if (session.kvmBefore) {
    await runCommand("chgrp", [String(session.kvmBefore.gid), "/dev/kvm"]);
    await runCommand("chmod", [session.kvmBefore.mode.toString(8), "/dev/kvm"]);
  }
  return problems;
}

/** libvirtd's LIBVIRT_* chains (and the jumps to them), in iptables and ip6tables; then tables it created, if empty. */
export async function removeLibvirtFirewall(tablesBefore: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const tool of ["iptables", "ip6tables"]) {
    for (const table of ["filter", "nat", "mangle"]) {
      const listed = await runCommand(tool, ["-t", table, "-S"]);
      if (!listed.ok) continue;
      const lines = listed.stdout.split("\n");
      for (const rule of lines.filter((l) => l.startsWith("-A ") && / -j LIBVIRT_/.test(l) && !/^-A LIBVIRT_/.test(l))) {
        const r = await runCommand(tool, ["-t", table, "-D", ...rule.slice(3).split(" ")]);
        if (!r.ok) problems.push(r.reason);
      }
      for (const chain of lines.filter((l) => l.startsWith("-N LIBVIRT_")).map((l) => l.slice(3))) {
        await runCommand(tool, ["-t", table, "-F", chain]);
        const r = await runCommand(tool, ["-t", table, "-X", chain]);
        if (!r.ok) problems.push(r.reason);
      }
    }
  }
  for (const table of await nftTables()) {
    if (tablesBefore.includes(table)) continue;
    const [, family, name] = table.split(" ");
    const body = await runCommand("nft", ["list", "table", family!, name!]);
    // Only a table with no rules left is ours to remove (another program may have started using it).
    if (body.ok && !/^\s+(?!type |policy )\S.*(accept|drop|reject|jump|goto|counter|masquerade)/m.test(body.stdout.replace(/^\s*chain .*$/gm, ""))) {
      const r = await runCommand("nft", ["delete", "table", family!, name!]);
      if (!r.ok) problems.push(r.reason);
    }
  }
  return problems;
}
