// Packs the built disk as a vagrant-libvirt box: a tar of box.img (qcow2), metadata.json and the box's own
// Vagrantfile, plus SHA256SUMS and a manifest (Debian release, kernel, Node.js, every package version).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { rename, rm, stat, writeFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { join } from "node:path";
import { DISK_GIB } from "./disk.js";
import { runStep, type BoxEmit } from "./steps.js";

export interface BuiltBox {
  box: string;
  sums: string;
  manifest: string;
  sha256: string;
  bytes: number;
  name: string;
  key: string;
  nodeVersion: string;
}

/** The box's own Vagrantfile: only what any Vagrantfile using this box needs (no console, a serial port). */
export const BOX_VAGRANTFILE = `# Vagrantfile inside the rootlab lab box (built by \`rootlab vm box build\`).
Vagrant.configure("2") do |config|
  config.vm.guest = :debian
  config.vm.provider :libvirt do |lv|
    lv.disk_bus = "virtio"
    lv.graphics_type = "none"
    lv.video_type = "none"
  end
end
`;

export function boxMetadata(): string {
  return `${JSON.stringify({ provider: "libvirt", format: "qcow2", virtual_size: DISK_GIB }, null, 2)}\n`;
}

/** The command that makes the box known to Vagrant (in the person's own Vagrant home). */
export function boxAddCommand(name: string, boxPath: string): string {
  return `vagrant box add --force --name ${name} ${boxPath}`;
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

interface PackInput {
  raw: string;
  work: string;
  outDir: string;
  name: string;
  manifest: string;
  nodeVersion: string;
  key: string;
  emit: BoxEmit;
}

export async function packBox(p: PackInput): Promise<BuiltBox> {
  const dir = join(p.work, "box");
  await runStep({ file: "mkdir", args: ["-p", dir], timeoutMs: 10_000 }, p.emit);
  p.emit({ type: "detail", text: "qemu-img convert -O qcow2 -c (compressed: smaller to hand out)" });
  await runStep({ file: "qemu-img", args: ["convert", "-c", "-O", "qcow2", p.raw, join(dir, "box.img")], timeoutMs: 1_800_000 }, p.emit);
  await rm(p.raw, { force: true });
  await writeFile(join(dir, "metadata.json"), boxMetadata());
  await writeFile(join(dir, "Vagrantfile"), BOX_VAGRANTFILE);
  const manifest = `rootlab lab box ${p.name}\nkey ${p.key}\n${p.manifest}`;
  await writeFile(join(dir, "rootlab-manifest.txt"), manifest);
  const tmpBox = join(p.outDir, `.${p.name}.box.tmp`);
  p.emit({ type: "detail", text: `tar ${p.name}.box` });
  await runStep({ file: "tar", args: ["-cf", tmpBox, "-C", dir, "metadata.json", "Vagrantfile", "rootlab-manifest.txt", "box.img"], timeoutMs: 1_800_000 }, p.emit);
  const box = join(p.outDir, `${p.name}.box`);
  await rename(tmpBox, box);
  const sha256 = await sha256Of(box);
  const sums = join(p.outDir, "SHA256SUMS");
  await writeFile(sums, `${sha256}  ${p.name}.box\n`);
  const manifestPath = join(p.outDir, `${p.name}.manifest.txt`);
  await writeFile(manifestPath, manifest);
  return { box, sums, manifest: manifestPath, sha256, bytes: (await stat(box)).size, name: p.name, key: p.key, nodeVersion: p.nodeVersion };
}
