// The leak check on a shared machine: a netns (with an orphaned process in it), a link and a mount that someone else
// makes while a lab runs (another terminal, another test) survive the lab's end and are not blamed on it; the lab's
// own leak is still removed and reported; rootlab's own folders in /run/rootlab are gone. Names: rlt0xo* (outside), rlt0-gated (the lab's).
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT, startCli } from "../helpers/cli.js";

const E2E = join(ROOT, "test/fixtures/labs/e2e");
const LAB = join(E2E, "leak-gated.md");
const NETNS = "rlt0xo";
const LINK = "rlt0xol";
let work = "";
let mnt = "";

const netns = () => execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
const linkExists = () => spawnSync("ip", ["link", "show", "dev", LINK], { stdio: "ignore" }).status === 0;
const mounted = () => readFileSync("/proc/self/mountinfo", "utf8").split("\n").some((l) => l.split(" ")[4] === mnt);
const runDirEntries = () => (existsSync("/run/rootlab") ? readdirSync("/run/rootlab") : []);

/** An orphaned process another terminal left in its own netns (its parent shell is gone). */
let outsidePid = 0;
const outsideAlive = () => outsidePid > 0 && spawnSync("kill", ["-0", String(outsidePid)]).status === 0;

/** What another terminal does meanwhile: a netns with an orphaned process in it, a bridge and a tmpfs mount. */
function makeOutsideObjects(): void {
  execFileSync("ip", ["netns", "add", NETNS]);
  outsidePid = Number(execFileSync("sh", ["-c", `ip netns exec ${NETNS} sleep 1000 </dev/null >/dev/null 2>&1 & echo $!`], { encoding: "utf8" }).trim());
  execFileSync("ip", ["link", "add", LINK, "type", "bridge"]);
  mkdirSync(mnt, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "rlt0xo", mnt]);
  // Another rootlab process's block-output folder (a second terminal's run, a test's sessions): its pid is alive.
  mkdirSync(otherRunDir(), { recursive: true });
}

const otherRunDir = () => `/run/rootlab/p${outsidePid}-ch-rlt0xo-1`;

function removeOutsideObjects(): void {
  if (outsidePid > 0) rmSync(otherRunDir(), { recursive: true, force: true });
  if (outsideAlive()) process.kill(outsidePid, "SIGKILL");
  outsidePid = 0;
  if (mnt && mounted()) execFileSync("umount", [mnt]);
  if (linkExists()) execFileSync("ip", ["link", "del", LINK]);
  if (netns().split("\n").some((l) => l.split(" ")[0] === NETNS)) execFileSync("ip", ["netns", "del", NETNS]);
  spawnSync("ip", ["netns", "del", "rlt0-gated"], { stdio: "ignore" });
}

/** Runs the gated lab; once it waits at its gate, makes the outside objects, then lets it go on (or interrupts it). */
async function runGated(then: "finish" | "interrupt"): Promise<{ code: number | null; out: string }> {
  const gate = join(work, "rlt0-gate");
  execFileSync("mkfifo", [gate]);
  const cli = startCli(["verify", "--verbose", LAB], { env: { ROOTLAB_WORKDIR: work, ROOTLAB_LABS: E2E } });
  try {
    await cli.waitFor("at-the-gate");
    makeOutsideObjects();
    if (then === "finish") await writeFile(gate, "go\n"); // opens once the lab's `read` holds the FIFO's other end
    else cli.child.kill("SIGINT");
  } catch (err) {
    cli.child.kill("SIGINT"); // never leave a run waiting at its gate, holding the run lock
    await cli.exited;
    throw err;
  }
  const code = await cli.exited;
  return { code, out: cli.output() };
}

describeAsRoot("leak check on a shared machine (real CLI, as root)", () => {
  beforeEach(() => {
    work = mkdtempSync("/var/tmp/rlt0-work-");
    mnt = `${work}-mnt`;
  });
  afterEach(() => {
    removeOutsideObjects();
    rmSync(work, { recursive: true, force: true });
    rmSync(mnt, { recursive: true, force: true });
  });
  afterAll(removeOutsideObjects);

  it.each(["finish", "interrupt"] as const)("%s: others' netns, link and mount survive unblamed; the lab's own leak is removed and reported", async (then) => {
    const runDirBefore = runDirEntries();
    const { code, out } = await runGated(then);
    expect(code, out).not.toBe(0);
    // Someone else's objects: still there, never called the lab's leak nor said removed.
    expect(netns()).toMatch(new RegExp(`^${NETNS}\\b`, "m"));
    expect(existsSync(`/run/netns/${NETNS}`)).toBe(true);
    expect(linkExists()).toBe(true);
    expect(mounted()).toBe(true);
    // Its process, in that netns (matched by the namespace's inode), is not the lab's either: alive, unblamed.
    expect(outsideAlive()).toBe(true);
    expect(out).toMatch(/not the lab's, left alone \(appeared while it ran\): .*process \d+ sleep \(in netns rlt0xo\)/);
    const leakedLine = out.split("\n").find((l) => l.includes("leaked:")) ?? "";
    expect(leakedLine, out).not.toMatch(/rlt0xo/);
    expect(out).not.toMatch(/still on this machine/);
    expect(out).toMatch(/not the lab's, left alone \(appeared while it ran\): .*netns rlt0xo/);
    // The lab's own namespace: reported, removed, and the removal checked.
    expect(leakedLine, out).toMatch(/netns rlt0-gated/);
    expect(out).toMatch(/rootlab removed them/);
    expect(netns()).not.toMatch(/rlt0-gated/);
    // rootlab's own block-output folders are gone; another rootlab process's is left alone, unreported.
    expect(runDirEntries().filter((e) => !runDirBefore.includes(e))).toEqual([`p${outsidePid}-ch-rlt0xo-1`]);
    expect(out).not.toMatch(/ch-rlt0xo/);
  });
});
