// `rootlab vm box build`: a Vagrant box for the libvirt provider, built from Debian 12 packages on this machine
// (debootstrap from the mirror in its own apt sources), with everything the labs and rootlab need inside, so
// a VM made from it provisions without any network. Emits progress events; never prints.
import { chmod, copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { probeKernelCachePath } from "../kvm-probe.js";
import { boxKey, PACKAGE_ROOT, readBoxInputs } from "./inputs.js";
import { boxMirror, hostDebianSources, BOX_SUITE } from "./mirror.js";
import { bindChrootMounts, createDisk, DISK_GIB } from "./disk.js";
import { stageBoxExtras } from "./stage.js";
import { runStep, UndoStack, type BoxEmit } from "./steps.js";
import { packBox, type BuiltBox } from "./pack.js";

/** What debootstrap puts in (the rest comes from the package list in box-setup.sh). */
const BASE_PACKAGES = ["openssh-server", "sudo", "rsync", "dbus", "iproute2", "kmod", "procps", "systemd-sysv", "ca-certificates", "libpam-systemd"];

export interface BuildOptions {
  outDir: string;
  name: string;
  emit: BoxEmit;
  projectRoot?: string;
}

async function timed<T>(emit: BoxEmit, name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  emit({ type: "step", name });
  const value = await fn();
  emit({ type: "done", name, ms: Date.now() - started });
  return value;
}

export async function buildBox(opts: BuildOptions): Promise<BuiltBox> {
  const { emit } = opts;
  const root = opts.projectRoot ?? PACKAGE_ROOT;
  if (process.getuid?.() !== 0) throw new Error("building the box needs root (loop devices, mounts, chroot): run `sudo rootlab vm box build`.");
  const mirror = boxMirror();
  if (!mirror) throw new Error(`no Debian ${BOX_SUITE} mirror in this machine's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/): the box is built from the mirror named there.`);
  const inputs = readBoxInputs(root);
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(join(outDir, `.build-${opts.name}-`));
  const undo = new UndoStack(); // mounts and the loop device; the work dir goes last, in `finally`
  try {
    const mnt = join(work, "root");
    const stage = join(work, "stage");
    await mkdir(stage);
    // Gathering Node, npm deps and fixtures (network-bound) runs while debootstrap works.
    const staged = timed(emit, "Node.js, npm dependencies and fixtures", () => stageBoxExtras(stage, root, emit));
    staged.catch(() => {}); // awaited below; a failure there must not become an unhandled rejection meanwhile
    const disk = await timed(emit, `disk: ${DISK_GIB} GiB sparse image, one ext4 partition`, () => createDisk(join(work, "disk.raw"), mnt, undo, emit));
    await timed(emit, `debootstrap ${BOX_SUITE} from ${mirror}`, () =>
      runStep(
        {
          file: "debootstrap",
          args: ["--arch=amd64", `--include=${BASE_PACKAGES.join(",")}`, BOX_SUITE, mnt, mirror],
          timeoutMs: 1_800_000,
          show: (l) => /^I: (Installing core|Installing required|Base system)/.test(l),
        },
        emit,
      ),
    );
    const nodeVersion = await staged;
    await timed(emit, "system inside the image (packages, kernel, GRUB, users, services)", async () => {
      await prepareChroot(mnt, stage, root);
      await bindChrootMounts(mnt, undo, emit);
      await runStep(
        {
          file: "chroot",
          args: [mnt, "/bin/bash", "/tmp/rootlab-box/box-setup.sh", disk.loop, ...inputs.packages],
          timeoutMs: 3_600_000,
          env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8" },
          show: (l) => l.startsWith("box-setup:") || /^(Unpacking|Setting up) (linux-image|grub-pc|systemd |openssh)/.test(l),
        },
        emit,
      );
      await finishChroot(mnt, work);
    });
    await timed(emit, "trim and unmount", async () => {
      await runStep({ file: "fstrim", args: [mnt], timeoutMs: 120_000 }, emit).catch(() => "");
      const failures = await undo.unwind(); // bind mounts, the image's mount, the loop device
      if (failures.length > 0) throw new Error(`could not release the image: ${failures.join("; ")}`);
    });
    const manifest = await readFile(join(work, "box-manifest.txt"), "utf8");
    return await timed(emit, "qcow2 and the box file", () => packBox({ raw: disk.raw, work, outDir, name: opts.name, manifest, nodeVersion, key: boxKey(inputs), emit }));
  } finally {
    const failures = await undo.unwind();
    if (failures.length > 0) emit({ type: "detail", text: `cleanup problems: ${failures.join("; ")}` });
    await rm(work, { recursive: true, force: true });
  }
}

/** Copies the setup script, the staged extras and this machine's apt sources into the image; no daemon starts. */
async function prepareChroot(mnt: string, stage: string, root: string): Promise<void> {
  const boxTmp = join(mnt, "tmp/rootlab-box");
  await cp(stage, boxTmp, { recursive: true, verbatimSymlinks: true });
  await copyFile(join(root, "provision/box-setup.sh"), join(boxTmp, "box-setup.sh"));
  // The image uses the same archive (and security archive) this machine uses, nothing else.
  await rm(join(mnt, "etc/apt/sources.list"), { force: true });
  for (const src of hostDebianSources()) {
    const name = src.path.endsWith("sources.list") ? "sources.list" : `sources.list.d/${src.path.split("/").pop()}`;
    await writeFile(join(mnt, "etc/apt", name), src.text);
  }
  await writeFile(join(mnt, "usr/sbin/policy-rc.d"), "#!/bin/sh\n# rootlab box build: no daemon starts inside the build chroot\nexit 101\n");
  await chmod(join(mnt, "usr/sbin/policy-rc.d"), 0o755);
}

async function finishChroot(mnt: string, work: string): Promise<void> {
  await copyFile(join(mnt, "etc/rootlab/box-manifest.txt"), join(work, "box-manifest.txt"));
  // The box's kernel lets `rootlab vm` try KVM on hosts that have no kernel in /boot of their own.
  const kernel = (await readdir(join(mnt, "boot"))).filter((f) => f.startsWith("vmlinuz-")).sort().at(-1);
  if (kernel) {
    await mkdir(dirname(probeKernelCachePath()), { recursive: true });
    await copyFile(join(mnt, "boot", kernel), probeKernelCachePath());
  }
  await rm(join(mnt, "usr/sbin/policy-rc.d"), { force: true });
  await rm(join(mnt, "tmp/rootlab-box"), { recursive: true, force: true });
}
