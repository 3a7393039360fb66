// Lab directories: created under ROOTLAB_WORKDIR, removed with whatever a lab left mounted inside them.
import { afterAll, beforeAll, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createLabDir, removeLabDir } from "../../src/host/workdir.js";
import { describeAsRoot } from "../helpers/root.js";

let root: string;
let outside: string;
const saved = process.env.ROOTLAB_WORKDIR;

function mountedBelow(dir: string): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8").split("\n").map((l) => l.split(" ")[4] ?? "").filter((t) => t === dir || t.startsWith(`${dir}/`));
}

describeAsRoot("lab directories", () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "rlt3-work-"));
    outside = mkdtempSync(join(tmpdir(), "rlt3-outside-"));
    writeFileSync(join(outside, "precious"), "keep me");
    process.env.ROOTLAB_WORKDIR = root;
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.ROOTLAB_WORKDIR;
    else process.env.ROOTLAB_WORKDIR = saved;
    for (const d of [root, outside]) {
      for (const t of mountedBelow(d).reverse()) execFileSync("umount", ["-l", t]);
      spawnSync("chattr", ["-R", "-f", "-i", d], { stdio: "ignore" }); // may fail on symlinks: fine
      rmSync(d, { recursive: true, force: true });
    }
  });

  it("creates <labId>-<random> with mode 0755 under ROOTLAB_WORKDIR", async () => {
    const a = await createLabDir("netns-basics");
    const b = await createLabDir("netns-basics");
    expect(a.startsWith(`${root}/netns-basics-`)).toBe(true);
    expect(a).not.toBe(b);
    expect(statSync(a).mode & 0o777).toBe(0o755);
    const odd = await createLabDir("../evil/id");
    expect(basename(odd).startsWith("..")).toBe(false);
    expect(odd.startsWith(`${root}/`)).toBe(true);
    for (const d of [a, b, odd]) await removeLabDir(d);
  });

  it("unmounts everything inside (overlay, proc, a bind of a folder outside), then removes it", async () => {
    const dir = await createLabDir("rlt3-mounts");
    for (const d of ["lower", "upper", "work", "merged", "bind"]) mkdirSync(join(dir, d));
    writeFileSync(join(dir, "lower/file"), "x");
    execFileSync("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${dir}/lower,upperdir=${dir}/upper,workdir=${dir}/work`, join(dir, "merged")]);
    mkdirSync(join(dir, "merged/proc"));
    execFileSync("mount", ["-t", "proc", "proc", join(dir, "merged/proc")]);
    execFileSync("mount", ["--bind", outside, join(dir, "bind")]);
    expect(mountedBelow(dir)).toHaveLength(3);
    expect(statSync(join(dir, "work/work")).mode & 0o777).toBe(0); // overlayfs leaves this behind with mode 000
    await removeLabDir(dir);
    expect(existsSync(dir)).toBe(false);
    expect(mountedBelow(dir)).toEqual([]);
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me"); // the bind was unmounted, not emptied
  });

  it("removes immutable files (chattr +i)", async () => {
    const dir = await createLabDir("rlt3-immutable");
    writeFileSync(join(dir, "locked"), "x");
    execFileSync("chattr", ["+i", join(dir, "locked")]);
    await removeLabDir(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it("does not follow a symlink out of the work root", async () => {
    const dir = await createLabDir("rlt3-link");
    symlinkSync(outside, join(dir, "escape"));
    await removeLabDir(dir);
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me");
  });

  it.each([
    ["a folder outside the work root", () => outside],
    ["the work root itself", () => root],
    ["a symlink into somewhere else", () => {
      const link = join(root, "rlt3-sneaky");
      symlinkSync(outside, link);
      return link;
    }],
  ])("refuses %s", async (_what, target) => {
    await expect(removeLabDir(target())).rejects.toThrow(/refusing to remove/);
    expect(readFileSync(join(outside, "precious"), "utf8")).toBe("keep me");
  });

  it("is quiet when the directory is already gone", async () => {
    await expect(removeLabDir(join(root, "never-existed"))).resolves.toBeUndefined();
  });
});
