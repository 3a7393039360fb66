// `rootlab vm box build [--out DIR] [--name NAME]`: the lab box, from the cache when its inputs did not change,
// else built (src/vm/box/); then prints how to add it to Vagrant.
import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import { buildBox } from "../../vm/box/build.js";
import { CACHED_BOX_NAME, cachedBoxDir, copyCachedBox, evictOldBoxes, findCachedBox } from "../../vm/box/cache.js";
import { boxKey, readBoxInputs } from "../../vm/box/inputs.js";
import { boxAddCommand, sha256Of } from "../../vm/box/pack.js";
import type { BoxEvent } from "../../vm/box/steps.js";
import { UsageError } from "../../core/errors.js";

export const DEFAULT_BOX_NAME = "rootlab-lab";
const BOX_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Progress lines on stderr, with the time since the start and what each step took. */
export function printBoxEvent(e: BoxEvent, started: number): void {
  const at = `[${clock(Date.now() - started).padStart(5)}]`;
  if (e.type === "step") process.stderr.write(`${at} ${e.name} …\n`);
  else if (e.type === "detail") process.stderr.write(`${at}   ${e.text}\n`);
  else process.stderr.write(`${at} ${e.name}: done (${clock(e.ms)})\n`);
}

/**
 * The build mounts the image (and /dev, /proc, /sys inside it): it runs in a mount namespace of its own, so
 * those mounts are never seen by, and can never be left behind on, the host. Returns the exit code, or
 * undefined when this process is already that build.
 */
async function inOwnMountNamespace(): Promise<number | undefined> {
  if (process.env.ROOTLAB_BOX_BUILD_NS === "1" || process.getuid?.() !== 0) return undefined;
  const args = ["--mount", "--propagation", "private", process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const child = spawn("unshare", args, { stdio: "inherit", env: { ...process.env, ROOTLAB_BOX_BUILD_NS: "1" } });
  return new Promise((resolve) => {
    child.on("error", () => resolve(undefined)); // no unshare: build in this namespace
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
  });
}

export async function runBoxBuild(rest: string[], out: string | undefined, name: string | undefined): Promise<number> {
  if (rest[0] !== "build" || rest.length > 1) throw new UsageError(`expected \`rootlab vm box build [--out DIR] [--name NAME]\`, got \`rootlab vm box ${rest.join(" ")}\`.`);
  const boxName = name ?? DEFAULT_BOX_NAME;
  if (!BOX_NAME.test(boxName)) throw new UsageError(`--name must be lower-case letters, digits, . _ - (e.g. ${DEFAULT_BOX_NAME}), got "${boxName}".`);
  const own = await inOwnMountNamespace();
  if (own !== undefined) return own;
  const started = Date.now();
  const key = boxKey(readBoxInputs());
  let dir = findCachedBox(key);
  if (dir) {
    process.stderr.write(`rootlab vm box build: the box for these inputs (key ${key}) is in the cache: ${dir}\n`);
  } else {
    process.stderr.write(`rootlab vm box build: building the box (key ${key}; minutes; needs the Debian mirror and the npm registry)\n`);
    dir = cachedBoxDir(key);
    await buildBox({ outDir: dir, name: CACHED_BOX_NAME, emit: (e) => printBoxEvent(e, started) });
    const evicted = await evictOldBoxes(key);
    if (evicted.length > 0) process.stderr.write(`rootlab vm box build: evicted old cached boxes: ${evicted.join(", ")}\n`);
  }
  const placed = await copyCachedBox(dir, out ?? ".", boxName);
  const sha = await sha256Of(placed.box);
  process.stdout.write(
    `Box: ${placed.box} (${clock(Date.now() - started)})\n  sha256 ${sha} (also in ${placed.sums})\n  contents: ${placed.manifest}\n` +
      `Add it to Vagrant, then set \`box: ${boxName}\` and \`provider: libvirt\` in lab-vm.yml:\n  ${boxAddCommand(boxName, placed.box)}\n`,
  );
  return 0;
}
