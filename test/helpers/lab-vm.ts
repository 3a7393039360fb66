// For the lab VM test: whether this machine can boot the VM (else the reason it is skipped), and a snapshot of
// everything a VM, libvirt and Vagrant could leave on the host, to compare before and after.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { isRoot } from "./root.js";

const TOOLS = ["vagrant", "virsh", "libvirtd", "virtlogd", "qemu-system-x86_64", "qemu-img", "debootstrap", "sfdisk", "dnsmasq"];

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** Free space each place the test writes to needs: the box build (cache), Vagrant's home (tmp), libvirt's pool. */
const NEED_GIB = 10;

function lowDisk(): string | undefined {
  const cache = process.env.ROOTLAB_CACHE || "/var/cache/rootlab";
  const places = [existsSync(cache) ? cache : "/var/cache", tmpdir(), existsSync("/var/lib/libvirt/images") ? "/var/lib/libvirt/images" : "/var/lib"];
  for (const place of places) {
    try {
      const st = statfsSync(place);
      const gib = (st.bavail * st.bsize) / 2 ** 30;
      if (gib < NEED_GIB) return `${gib.toFixed(1)} GiB free in ${place}; the box, Vagrant's copy and libvirt's volumes need about ${NEED_GIB} GiB`;
    } catch {
      return `cannot read the free space of ${place}`;
    }
  }
  return undefined;
}

/**
 * Why this machine does not run the lab VM test, or undefined when it does. On by default in `npm test` wherever
 * it can run (about 15 minutes under emulation on 2 cores, docs/benchmarks.md); ROOTLAB_VM_TEST=0 turns it off.
 */
export function vmTestSkipReason(): string | undefined {
  if (process.env.ROOTLAB_VM_TEST === "0") return "turned off with ROOTLAB_VM_TEST=0";
  if (!isRoot) return "needs root (loop devices, libvirt, the box build)";
  if (process.arch !== "x64") return `the lab box is amd64; this machine is ${process.arch}`;
  const missing = TOOLS.filter((t) => !has(t));
  if (missing.length > 0) return `missing ${missing.join(", ")}: install the test packages of provision/packages.txt (.ci/run does)`;
  if (!existsSync("/usr/share/rubygems-integration/all/gems") || !readdirSync("/usr/share/rubygems-integration/all/gems").some((d) => d.startsWith("vagrant-libvirt-"))) {
    return "the vagrant-libvirt plugin is not installed (apt-get install --no-install-recommends vagrant-libvirt)";
  }
  const disk = lowDisk();
  if (disk) return disk;
  const alpine = process.env.ROOTLAB_ALPINE_URL?.replace(/^file:\/\//, "");
  const cache = process.env.ROOTLAB_CACHE || "/var/cache/rootlab";
  if (!(alpine && existsSync(alpine)) && !existsSync(`${cache}/alpine`)) {
    return "no Alpine minirootfs for the box (neither ROOTLAB_ALPINE_URL nor the fixture cache has it) and tests never download";
  }
  return undefined;
}

function text(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return "";
  }
}

/** Links, libvirt firewall chains, VM processes, loop devices and mounts that a VM could leave behind. */
export async function hostLeftovers(): Promise<string> {
  const links = text("ip", ["-br", "link"]).split("\n").map((l) => l.split(/\s+/)[0] ?? "").filter((n) => /^(virbr|vnet|rootlab-vm)/.test(n));
  const rules = [text("iptables-save", []), text("ip6tables-save", [])].join("\n").split("\n").filter((l) => /LIBVIRT/.test(l));
  const procs = text("ps", ["-eo", "comm="]).split("\n").filter((c) => /^(qemu-system|libvirtd|virtlogd|dnsmasq)/.test(c.trim()));
  const loops = text("losetup", ["-a"]).split("\n").filter((l) => l.includes("rootlab"));
  const mounts = text("findmnt", ["-rn", "-o", "TARGET"]).split("\n").filter((m) => m.includes(".build-rootlab"));
  return [
    `links: ${links.join(" ")}`,
    `libvirt firewall rules: ${rules.length}`,
    `processes: ${procs.join(" ")}`,
    `loop devices: ${loops.join(" ")}`,
    `mounts: ${mounts.join(" ")}`,
    `/run/libvirt: ${existsSync("/run/libvirt")}`,
  ].join("\n");
}

/**
 * Runs FN holding the lock file named by ROOTLAB_VM_TEST_LOCK (when set), for machines where other test runs
 * must not see the VM's bridge, firewall chains and processes appear or go mid-run. Held only while FN runs.
 */
export async function withHostLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = process.env.ROOTLAB_VM_TEST_LOCK;
  if (!lock) return fn();
  const holder = spawn("flock", [lock, "sh", "-c", "echo locked; read _"], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on("data", (d: Buffer) => d.toString().includes("locked") && resolve());
    holder.on("error", reject);
    holder.on("close", () => reject(new Error(`flock ${lock} ended before taking the lock`)));
  });
  try {
    return await fn();
  } finally {
    holder.stdin.end();
  }
}
