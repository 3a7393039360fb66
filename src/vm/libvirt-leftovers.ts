// What stays in libvirt after `vagrant destroy`: the box's base volume (vagrant-libvirt never deletes it, and
// `vagrant box remove` does not either), the `default` storage pool it creates when missing, and rootlab's
// isolated network (kept on purpose by management_network_keep). `rootlab vm destroy` removes them.
import { join } from "node:path";
import { runCommand } from "../host/run.js";
import { libvirtReachable, libvirtUri } from "./libvirt-host.js";
import { VAGRANT_DIR } from "./vagrant.js";

const POOL = "default";

async function virsh(args: string[]) {
  return runCommand("virsh", ["--connect", libvirtUri(), "-q", ...args], { timeoutMs: 60_000 });
}

/** vagrant-libvirt's name for a box's base volume: slashes become -VAGRANTSLASH-. Pure. */
export function baseVolumePrefix(box: string): string {
  return `${box.replaceAll("/", "-VAGRANTSLASH-")}_vagrant_box_image_`;
}

/** The definitions of every domain libvirt knows, so nothing one of them still uses is removed. */
async function domainDefinitions(): Promise<string> {
  const list = await virsh(["list", "--all", "--name"]);
  if (!list.ok) return "";
  const names = list.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  const xml = await Promise.all(names.map((n) => virsh(["dumpxml", n])));
  return xml.map((r) => (r.ok ? r.stdout : "")).join("\n");
}

export async function removeLibvirtLeftovers(box: string): Promise<{ removed: string[]; problems: string[] }> {
  const removed: string[] = [];
  const problems: string[] = [];
  if (!(await libvirtReachable())) return { removed, problems };
  // Another VM (or this one, not destroyed after all) may still use the network or a volume: keep those.
  const inUse = await domainDefinitions();
  const vols = await virsh(["vol-list", POOL]);
  if (vols.ok) {
    const names = vols.stdout.split("\n").map((l) => l.trim().split(/\s+/)[0] ?? "").filter(Boolean);
    for (const vol of names.filter((n) => n.startsWith(baseVolumePrefix(box)))) {
      if (inUse.includes(vol)) {
        problems.push(`volume ${vol} is still used by a libvirt domain: left in place`);
        continue;
      }
      const r = await virsh(["vol-delete", vol, "--pool", POOL]);
      if (r.ok) removed.push(`volume ${vol}`);
      else problems.push(r.reason);
    }
    const left = await virsh(["vol-list", POOL]);
    if (left.ok && left.stdout.trim() === "") {
      await virsh(["pool-destroy", POOL]);
      const r = await virsh(["pool-undefine", POOL]);
      if (r.ok) removed.push(`empty storage pool ${POOL}`);
    }
  }
  if (/<source network=['"]rootlab-vm['"]/.test(inUse)) {
    problems.push("the rootlab-vm network is still used by a libvirt domain: left in place");
    return { removed, problems };
  }
  const net = await runCommand(join(VAGRANT_DIR, "provision/libvirt-network.sh"), ["remove"], { timeoutMs: 60_000 });
  if (!net.ok) problems.push(net.reason);
  else if (net.stdout.trim()) removed.push(net.stdout.trim().replace(/^rootlab: removed the libvirt /, ""));
  return { removed, problems };
}
