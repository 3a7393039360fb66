// `rootlab vm box build [--out DIR] [--name NAME]`: the lab box, from the cache when its inputs did not change,
// else built (src/vm/box/); then prints how to add it to Vagrant.
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

export async function runBoxBuild(rest: string[], out: string | undefined, name: string | undefined): Promise<number> {
  if (rest[0] !== "build" || rest.length > 1) throw new UsageError(`expected \`rootlab vm box build [--out DIR] [--name NAME]\`, got \`rootlab vm box ${rest.join(" ")}\`.`);
  const boxName = name ?? DEFAULT_BOX_NAME;
  if (!BOX_NAME.test(boxName)) throw new UsageError(`--name must be lower-case letters, digits, . _ - (e.g. ${DEFAULT_BOX_NAME}), got "${boxName}".`);
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
