// A Debian 12 tree that boots with systemd as its PID 1 (systemd, dbus, systemd-container, busybox-static), made
// once with debootstrap and cached as a tarball, so tests can run machinectl inside a booted container on hosts
// whose own PID 1 is not systemd. Facts and timings: ../shared/design/MACHINECTL-NOTES.md.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const TEST_CACHE_DIR = process.env.ROOTLAB_TEST_CACHE ?? "/var/cache/rootlab-test";
/** Bump the suffix when the package list or the preparation below changes: old caches are then ignored. */
export const BOOTABLE_IMAGE = join(TEST_CACHE_DIR, "machinectl-bookworm-systemd-v1.tar.gz");
const SUITE = "bookworm";
const PACKAGES = "systemd,systemd-sysv,dbus,systemd-container,iproute2,busybox-static";
/** Scratch directories of the machinectl harness carry this prefix (rootlab's test prefix is rlt). */
export const SCRATCH_PREFIX = "rlt-mctl-";

export type ImageResult = { ok: true; tarball: string; built: boolean } | { ok: false; reason: string };

/** The first Debian mirror for SUITE in the enabled apt sources (deb822 *.sources and one-line *.list files). */
export function debianMirror(): string | undefined {
  const files: string[] = [];
  if (existsSync("/etc/apt/sources.list")) files.push("/etc/apt/sources.list");
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) if (f.endsWith(".sources") || f.endsWith(".list")) files.push(join(dir, f));
  }
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const found = file.endsWith(".sources") ? fromDeb822(text) : fromOneLine(text);
    if (found) return found;
  }
  return undefined;
}

function isDebianMain(uri: string, suites: string[]): boolean {
  return /^https?:\/\//.test(uri) && !uri.includes("security") && suites.includes(SUITE);
}

function fromDeb822(text: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] =>
      (new RegExp(`^${name}:\\s*(.*)$`, "mi").exec(stanza)?.[1] ?? "").trim().split(/\s+/).filter(Boolean);
    if (field("Enabled")[0] === "no" || !field("Types").includes("deb")) continue;
    const suites = field("Suites");
    const uri = field("URIs").find((u) => isDebianMain(u, suites));
    if (uri) return uri;
  }
  return undefined;
}

function fromOneLine(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const words = line.replace(/\[[^\]]*\]/, "").trim().split(/\s+/); // drop "[arch=… signed-by=…]"
    if (words[0] === "deb" && words[1] && isDebianMain(words[1], [words[2] ?? ""])) return words[1];
  }
  return undefined;
}

/** The cached bootable image; built with debootstrap (about a minute, needs the Debian mirror) when missing. */
export async function ensureBootableImage(): Promise<ImageResult> {
  if (existsSync(BOOTABLE_IMAGE)) return { ok: true, tarball: BOOTABLE_IMAGE, built: false };
  const mirror = debianMirror();
  if (!mirror) return { ok: false, reason: `no Debian ${SUITE} mirror in /etc/apt/sources.list{,.d} to debootstrap from, and no cached ${BOOTABLE_IMAGE}` };
  mkdirSync(TEST_CACHE_DIR, { recursive: true });
  const work = await mkdtemp(join("/var/tmp", `${SCRATCH_PREFIX}build-`));
  const root = join(work, "root");
  const partial = `${BOOTABLE_IMAGE}.partial-${process.pid}`;
  try {
    try {
      await run("debootstrap", ["--variant=minbase", `--include=${PACKAGES}`, SUITE, root, mirror], { timeout: 480_000, maxBuffer: 64 << 20 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      const tail = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-8).join("\n");
      throw new Error(`debootstrap ${SUITE} from ${mirror} failed: ${e.message}\n${tail}`);
    }
    // An empty machine-id makes systemd generate one at each boot (a fresh machine every time); root needs no password.
    await writeFile(join(root, "etc/machine-id"), "");
    await writeFile(join(root, "etc/hostname"), "rlt-mctl\n");
    await run("chroot", [root, "passwd", "-d", "root"]);
    const debs = join(root, "var/cache/apt/archives");
    for (const f of readdirSync(debs)) if (f.endsWith(".deb")) rmSync(join(debs, f));
    await run("tar", ["--numeric-owner", "-C", root, "-czf", partial, "."], { timeout: 300_000 });
    renameSync(partial, BOOTABLE_IMAGE); // atomic: a half-written cache is never used
    return { ok: true, tarball: BOOTABLE_IMAGE, built: true };
  } finally {
    rmSync(partial, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
