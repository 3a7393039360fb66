// Boots a Debian tree with systemd as its PID 1 in systemd-nspawn on a host whose own PID 1 is not systemd, runs
// commands inside it as if on a systemd machine, and removes every trace afterwards (process, cgroups, files).
// Recipe and pitfalls: ../shared/design/MACHINECTL-NOTES.md §2 (own cgroup, private /run/systemd/nspawn tmpfs,
// --private-network so nested veths stay inside, --keep-unit/--register=no because there is no host systemd).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, rmdirSync, readdirSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
/** Scratch directories and the cgroups of the harness carry this prefix (rootlab's test prefix is rlt). */
export const SCRATCH_PREFIX = "rlt-mctl-";
const PATH_INSIDE = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface BindRo {
  host: string;
  inside: string;
}

export interface BootedContainer {
  name: string;
  workDir: string;
  /** PID of systemd-nspawn (and of its process group) on the host. */
  nspawnPid: number;
  /** Host PID of the container's systemd (its PID 1). */
  leaderPid: number;
  logFile: string;
  cgroupDirs: string[];
  exited: Promise<void>;
}

export interface InsideResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Cgroup directories (one per hierarchy nspawn --keep-unit writes to) below this process's own cgroups. */
function cgroupDirsFor(name: string): string[] {
  const own = new Map<string, string>();
  for (const line of readFileSync("/proc/self/cgroup", "utf8").trim().split("\n")) {
    const [, controllers, path] = line.split(":");
    own.set(controllers ?? "", (path ?? "/").replace(/\/$/, ""));
  }
  const unified = existsSync("/sys/fs/cgroup/cgroup.controllers");
  const hierarchies: [string, string][] = unified
    ? [["/sys/fs/cgroup", ""]] // pure cgroup v2
    : [["/sys/fs/cgroup/systemd", "name=systemd"], ["/sys/fs/cgroup/unified", ""]]; // v1 / hybrid
  return hierarchies.filter(([mnt]) => existsSync(join(mnt, "cgroup.procs"))).map(([mnt, key]) => `${mnt}${own.get(key) ?? ""}/${name}`);
}

/** Unpacks `tarball` into a fresh directory and boots it; resolves once `systemctl is-system-running` says running. */
export async function bootContainer(tarball: string, binds: BindRo[]): Promise<BootedContainer> {
  const workDir = await mkdtemp(join("/var/tmp", SCRATCH_PREFIX));
  const name = `${SCRATCH_PREFIX}${process.pid}`;
  const root = join(workDir, "root");
  mkdirSync(root);
  await run("tar", ["--numeric-owner", "-xzf", tarball, "-C", root], { timeout: 120_000 });
  const cgroupDirs = cgroupDirsFor(name);
  for (const dir of cgroupDirs) mkdirSync(dir);
  mkdirSync("/run/systemd/nspawn", { recursive: true });
  const logFile = join(workDir, "boot.log");
  const log = openSync(logFile, "w");
  const nspawnArgs = [
    "-q", "--register=no", "--keep-unit", "--boot", "--private-network", "--console=passive",
    "--link-journal=no", "--resolv-conf=off", "--timezone=off", `--machine=${name}`, "-D", root,
    ...binds.map((b) => `--bind-ro=${b.host}:${b.inside}`),
  ];
  // sh joins our cgroups and execs unshare, which execs sh, which execs nspawn: child.pid is nspawn's PID.
  const script = 'for d in $CGROUPS; do echo $$ > "$d/cgroup.procs" || exit 125; done; ' +
    "exec unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs /run/systemd/nspawn && exec \"$@\"' sh /usr/bin/systemd-nspawn \"$@\"";
  const child: ChildProcess = spawn("sh", ["-c", script, "sh", ...nspawnArgs], {
    detached: true, // own session and process group: killable as a whole
    stdio: ["ignore", log, log],
    env: { ...process.env, CGROUPS: cgroupDirs.join(" ") },
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const nspawnPid = child.pid;
  if (nspawnPid === undefined) throw new Error("could not start systemd-nspawn");
  const booted: BootedContainer = { name, workDir, nspawnPid, leaderPid: 0, logFile, cgroupDirs, exited };
  try {
    let gone = false;
    void exited.then(() => (gone = true));
    booted.leaderPid = await until("the container's systemd to start", 20_000, async () => {
      if (gone) throw new Error(`systemd-nspawn exited early:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
      return childNamed(nspawnPid, "systemd");
    });
    await until("systemctl is-system-running to report running", 60_000, async () => {
      const r = await inside(booted, ["systemctl", "is-system-running"], 10_000);
      const state = r.stdout.trim();
      if (state === "degraded") throw new Error(`the container booted degraded:\n${(await inside(booted, ["systemctl", "--failed", "--no-pager"])).stdout}`);
      return state === "running" ? state : undefined; // before that: "starting", or "Failed to connect to bus"
    });
    return booted;
  } catch (err) {
    await removeContainer(booted);
    throw err;
  }
}

function childNamed(ppid: number, comm: string): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === ppid && name === comm) return Number(entry);
    } catch {
      // the process ended while we looked: not the one we want
    }
  }
  return undefined;
}

/** Runs argv inside all of the container's namespaces with a clean environment (plus `env`). */
export async function inside(c: BootedContainer, argv: string[], timeoutMs = 300_000, env: Record<string, string> = {}): Promise<InsideResult> {
  const vars = Object.entries({ PATH: PATH_INSIDE, HOME: "/root", LANG: "C.UTF-8", ...env }).map(([k, v]) => `${k}=${v}`);
  try {
    const r = await run("nsenter", ["-t", String(c.leaderPid), "-a", "env", "-i", ...vars, ...argv], { timeout: timeoutMs, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? e.message };
  }
}

/** Powers the container off (SIGKILL after 30 s), then removes its cgroups and files. Safe to call twice. */
export async function removeContainer(c: BootedContainer): Promise<void> {
  if (c.leaderPid > 0) await inside(c, ["systemctl", "poweroff"], 10_000);
  const stopped = await Promise.race([c.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
  if (!stopped) {
    try {
      process.kill(-c.nspawnPid, "SIGKILL");
    } catch {
      // already gone
    }
    await c.exited;
  }
  const problems: string[] = [];
  for (const dir of c.cgroupDirs) await removeCgroupTree(dir).catch((e: Error) => problems.push(e.message));
  // An interrupted lab can leave immutable files (machinectl read-only = chattr +i) that rm cannot delete.
  for (const sub of ["root/var/lib/machines", "root/etc/systemd/nspawn"]) {
    const p = join(c.workDir, sub);
    if (existsSync(p)) await run("chattr", ["-R", "-i", p]).catch(() => undefined);
  }
  rmSync(c.workDir, { recursive: true, force: true });
  if (problems.length > 0) throw new Error(`could not remove the container completely: ${problems.join("; ")}`);
}

/** rmdir deepest first; nspawn's payload/ and supervisor/ are released a moment after it exits. */
async function removeCgroupTree(dir: string): Promise<void> {
  await until(`cgroup ${dir} to be removable`, 5_000, async () => {
    if (!existsSync(dir)) return true;
    const dirs: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
      dirs.push(d);
    };
    walk(dir);
    try {
      for (const d of dirs) rmdirSync(d);
      return true;
    } catch {
      return undefined; // still populated: try again
    }
  });
}
