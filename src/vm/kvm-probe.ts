// Does KVM really work here? `/dev/kvm` existing proves nothing (nested KVM can fail with "emulation failure"
// or hang), so boot a Linux kernel under `-accel kvm` with a one-file initramfs that prints a marker and powers
// off. The answer is cached in .vagrant/rootlab-kvm-probe, where the Vagrantfile reads it (never probing itself).
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile, chmod, copyFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { cacheRoot } from "../host/paths.js";
import { runCommand } from "../host/run.js";
import { VAGRANT_DIR } from "./vagrant.js";

export type KvmProbe = { kvm: true; detail: string } | { kvm: false; detail: string };

/** Vagrant's folder for this VM's state (VAGRANT_DOTFILE_PATH, relative to the Vagrantfile, else .vagrant/). */
export function vagrantDotDir(): string {
  return resolve(VAGRANT_DIR, process.env.VAGRANT_DOTFILE_PATH || ".vagrant");
}

export function probeFile(): string {
  return join(vagrantDotDir(), "rootlab-kvm-probe");
}
const MARKER = "ROOTLAB-KVM-OK";

/** The box build leaves its kernel here, for hosts without one in /boot (containers, CI machines). */
export function probeKernelCachePath(): string {
  return join(cacheRoot(), "vm", "probe-vmlinuz");
}

/** A kernel to boot: this host's own, else the lab box's. */
export function findProbeKernel(): string | undefined {
  if (existsSync("/boot")) {
    const kernels = readdirSync("/boot").filter((f) => f.startsWith("vmlinuz-")).sort();
    if (kernels.length > 0) return join("/boot", kernels.at(-1)!);
  }
  return existsSync(probeKernelCachePath()) ? probeKernelCachePath() : undefined;
}

async function makeInitramfs(dir: string): Promise<string | undefined> {
  if (!existsSync("/bin/busybox")) return undefined;
  const root = join(dir, "root");
  await mkdir(join(root, "bin"), { recursive: true });
  await copyFile("/bin/busybox", join(root, "bin/busybox"));
  await writeFile(join(root, "init"), `#!/bin/busybox sh\n/bin/busybox echo ${MARKER}\n/bin/busybox poweroff -f\n`);
  await chmod(join(root, "init"), 0o755);
  const out = join(dir, "probe.cpio");
  const r = await runCommand("sh", ["-c", `cd "$1" && find . | cpio -o -H newc --quiet > "$2"`, "sh", root, out]);
  return r.ok ? out : undefined;
}

/** Boots the kernel under KVM for at most 40 s. */
export async function probeKvm(): Promise<KvmProbe> {
  if (process.arch !== "x64") return { kvm: false, detail: `this host is ${process.arch}; the lab box is amd64` };
  if (!existsSync("/dev/kvm")) return { kvm: false, detail: "no /dev/kvm (no hardware virtualisation, or it is disabled in the firmware)" };
  const kernel = findProbeKernel();
  if (!kernel) return { kvm: false, detail: "no kernel to try KVM with (none in /boot; `rootlab vm box build` leaves one in the cache)" };
  const dir = await mkdtemp("/tmp/rootlab-kvm-probe-");
  try {
    const initrd = await makeInitramfs(dir);
    if (!initrd) return { kvm: false, detail: "could not make the probe's initramfs (needs busybox-static and cpio)" };
    const args = ["-accel", "kvm", "-cpu", "host", "-m", "256", "-display", "none", "-nodefaults", "-no-reboot", "-serial", "stdio",
      "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 panic=-1 quiet"];
    const r = await runCommand("qemu-system-x86_64", args, { timeoutMs: 40_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    if (out.includes(MARKER)) return { kvm: true, detail: `booted ${kernel} under KVM` };
    const why = out.split("\n").find((l) => /error|KVM|failed/i.test(l))?.trim() ?? (r.ok ? "no output" : r.reason);
    return { kvm: false, detail: `KVM is present but a test boot under it failed: ${why}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Probes and caches the answer for the Vagrantfile ("kvm" or "qemu", then why). */
export async function probeAndCacheKvm(): Promise<KvmProbe> {
  const result = await probeKvm();
  await mkdir(vagrantDotDir(), { recursive: true });
  await writeFile(probeFile(), `${result.kvm ? "kvm" : "qemu"} ${result.detail}\n`);
  return result;
}

export async function cachedKvmProbe(): Promise<KvmProbe | undefined> {
  const text = await readFile(probeFile(), "utf8").catch(() => undefined);
  if (!text) return undefined;
  const [word, ...rest] = text.trim().split(" ");
  return word === "kvm" ? { kvm: true, detail: rest.join(" ") } : { kvm: false, detail: rest.join(" ") };
}
