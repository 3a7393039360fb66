// Per-run scratch directories (LAB_DIR) under the work root, and their safe removal: unmount first, never
// follow anything out of the work root, cope with overlayfs work dirs (mode 000) and immutable files.
import { chmod, lstat, mkdir, mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { workRoot } from "./paths.js";
import { isAtOrBelow, mountsBelow, parseMountinfo } from "./mountinfo.js";
import { runCommand } from "./run.js";

/** Creates `<work root>/<labId>-<random>` (mode 0755: labs hand it to containers that run as other users). */
export async function createLabDir(labId: string): Promise<string> {
  const root = workRoot();
  await mkdir(root, { recursive: true, mode: 0o755 });
  const safeId = labId.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^\.+/, "") || "lab";
  const dir = await mkdtemp(join(root, `${safeId}-`));
  await chmod(dir, 0o755);
  return dir;
}

async function currentMounts() {
  return parseMountinfo(await readFile("/proc/self/mountinfo", "utf8"));
}

/** Unmounts everything at or below DIR, deepest first; a lazy unmount is the last resort. Returns what stays. */
export async function unmountBelow(dir: string): Promise<string[]> {
  for (let pass = 0; pass < 8; pass++) {
    const mounts = mountsBelow(await currentMounts(), dir);
    if (mounts.length === 0) return [];
    for (const m of mounts) {
      const r = await runCommand("umount", [m.target]);
      if (!r.ok) await runCommand("umount", ["-l", m.target]);
    }
  }
  return mountsBelow(await currentMounts(), dir).map((m) => `${m.target} (${m.fsType})`);
}

/**
 * Removes a lab directory made by createLabDir. Refuses anything that is not strictly inside the work root
 * (after resolving symlinks), and anything that is still a mount point after unmounting.
 */
export async function removeLabDir(dir: string): Promise<void> {
  const root = await realpath(workRoot()).catch(() => resolve(workRoot()));
  const abs = resolve(dir);
  let stat;
  try {
    stat = await lstat(abs);
  } catch {
    return; // already gone
  }
  if (stat.isSymbolicLink()) throw new Error(`refusing to remove ${abs}: it is a symbolic link, not a lab directory`);
  const real = await realpath(abs);
  if (!isAtOrBelow(real, root) || real === root) {
    throw new Error(`refusing to remove ${abs}: it is not inside the rootlab work root ${root} (ROOTLAB_WORKDIR)`);
  }
  const left = await unmountBelow(real);
  if (left.length > 0) throw new Error(`cannot remove ${real}: still mounted: ${left.join(", ")}`);
  try {
    await rm(real, { recursive: true, force: true, maxRetries: 2 });
    return;
  } catch {
    // Root is stopped only by immutable/append-only attributes (chattr +i/+a) and by dirs without permissions
    // when not root (overlayfs leaves work/work with mode 000): clear both, then try again.
  }
  await runCommand("chattr", ["-R", "-f", "-i", "-a", real]);
  await runCommand("chmod", ["-R", "u+rwX", real]);
  try {
    await rm(real, { recursive: true, force: true, maxRetries: 2 });
  } catch (err) {
    throw new Error(`cannot remove lab directory ${real}: ${(err as Error).message}`);
  }
}
