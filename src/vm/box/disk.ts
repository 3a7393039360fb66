// The box's disk while it is built: a sparse raw file with one MBR partition on a loop device, mounted.
// Every step pushes its own undo, so a failure anywhere leaves no loop device or mount behind.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { runStep, type BoxEmit, type UndoStack } from "./steps.js";

export const DISK_GIB = 20;

export interface MountedDisk {
  raw: string;
  loop: string;
  partition: string;
  mountpoint: string;
}

const quiet = { timeoutMs: 120_000 };

export async function createDisk(raw: string, mountpoint: string, undo: UndoStack, emit: BoxEmit): Promise<MountedDisk> {
  await runStep({ file: "truncate", args: ["-s", `${DISK_GIB}G`, raw], ...quiet }, emit);
  await runStep({ file: "sh", args: ["-c", 'echo "type=83, bootable" | sfdisk --quiet --label dos "$1"', "sh", raw], ...quiet }, emit);
  const loop = (await runStep({ file: "losetup", args: ["--show", "-f", "-P", raw], ...quiet }, emit)).trim();
  undo.push(`detach ${loop}`, () => runStep({ file: "losetup", args: ["-d", loop], ...quiet }, emit));
  const partition = `${loop}p1`;
  // Without udev the partition node does not always appear by itself.
  if (!existsSync(partition)) await runStep({ file: "partx", args: ["-a", loop], ...quiet }, emit).catch(() => "");
  if (!existsSync(partition)) throw new Error(`the partition ${partition} did not appear after losetup -P and partx -a ${loop}`);
  await runStep({ file: "mkfs.ext4", args: ["-q", "-L", "rootlab", "-E", "lazy_itable_init=0,lazy_journal_init=0", partition], ...quiet }, emit);
  await mkdir(mountpoint, { recursive: true });
  await runStep({ file: "mount", args: [partition, mountpoint], ...quiet }, emit);
  undo.push(`unmount ${mountpoint}`, () => runStep({ file: "umount", args: [mountpoint], ...quiet }, emit));
  return { raw, loop, partition, mountpoint };
}

/** Binds what a chroot needs; the undos unmount them again (lazily: a stray process must not block the build). */
export async function bindChrootMounts(root: string, undo: UndoStack, emit: BoxEmit): Promise<void> {
  const binds: [string, string[]][] = [
    ["dev", ["--bind", "/dev"]],
    ["dev/pts", ["--bind", "/dev/pts"]],
    ["proc", ["-t", "proc", "proc"]],
    ["sys", ["-t", "sysfs", "sysfs"]],
  ];
  for (const [sub, args] of binds) {
    const target = `${root}/${sub}`;
    await mkdir(target, { recursive: true });
    await runStep({ file: "mount", args: [...args, target], ...quiet }, emit);
    undo.push(`unmount ${target}`, () => runStep({ file: "umount", args: ["-l", target], ...quiet }, emit));
  }
}
