// Verifies labs/09-machinectl.md for real. machinectl needs systemd as PID 1; where the host has it, the lab runs
// directly. Where it does not (CI, this project's build machines), the lab runs inside a Debian container booted
// with systemd as its PID 1 — real machined, importd and nested systemd-nspawn@.service — never simulated. The
// container boots rootlab's own systemd-image fixture, and the lab inside imports the same cached tarball
// (bound read-only at the same path). Cold run: debootstrap (one to three minutes) once; warm run: about a minute.
import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { isRoot, ROOT_REASON } from "../helpers/root.js";
import { ensureSystemdImage, systemdImagePath } from "../../src/host/fixtures/index.js";
import { cacheRoot } from "../../src/host/paths.js";
import { bootContainer, inside, removeContainer, type BootedContainer } from "../helpers/systemd-container.js";

const LAB = "labs/09-machinectl.md";
const CHECKOUT_INSIDE = "/rootlab";
const systemdHost = existsSync("/run/systemd/system"); // exactly sd_booted()

function missing(commands: string[]): string[] {
  const dirs = (process.env.PATH ?? "").split(delimiter).concat(["/usr/sbin", "/sbin"]);
  return commands.filter((c) => !dirs.some((d) => d !== "" && existsSync(join(d, c))));
}

const needed = systemdHost ? [] : ["systemd-nspawn", "unshare", "nsenter", "tar", "chattr", ...(existsSync(systemdImagePath()) ? [] : ["debootstrap", "chroot"])];
const absent = missing(needed);
const skipReason = !isRoot
  ? ROOT_REASON
  : absent.length > 0
    ? `needs ${absent.join(", ")} on the host to boot a systemd container (apt-get install systemd-container debootstrap)`
    : undefined;

function suite(name: string, fn: () => void): void {
  if (skipReason) describe.skip(`${name} [skipped: ${skipReason}]`, fn);
  else describe(name, fn);
}

if (systemdHost) {
  suite("machinectl lab on this systemd host", () => {
    it("passes rootlab verify --strict", async () => {
      const r = await runCli(["verify", "--strict", LAB]);
      expect(r.stdout + r.stderr, "rootlab verify output").toMatch(/machinectl passed/);
      expect(r.code).toBe(0);
    }, 600_000);
  });
} else {
  suite("machinectl lab without systemd as PID 1", () => {
    it("is reported as skipped on the host, with the reason", async () => {
      const r = await runCli(["verify", "--strict", LAB]);
      expect(r.stdout).toMatch(/machinectl skipped: cannot run here: systemd as PID 1/);
      expect(r.code).toBe(3); // a named lab that cannot run here is refused, never passed
    });
  });

  suite("machinectl lab inside a container booted with systemd", () => {
    let container: BootedContainer | undefined;

    beforeAll(async () => {
      const image = await ensureSystemdImage();
      const cacheDir = dirname(image.path);
      container = await bootContainer(image.path, [
        { host: process.execPath, inside: "/usr/local/bin/node" },
        { host: ROOT.replace(/\/$/, ""), inside: CHECKOUT_INSIDE },
        { host: cacheDir, inside: cacheDir }, // the lab's systemd-image fixture, already built
      ]);
    }, 600_000);

    afterAll(async () => {
      if (container) await removeContainer(container);
    }, 60_000);

    it("boots with systemd as PID 1, so machinectl can talk to machined", async () => {
      const c = container!;
      const pid1 = await inside(c, ["cat", "/proc/1/comm"]);
      expect(pid1.stdout.trim()).toBe("systemd");
      const list = await inside(c, ["machinectl", "list-images", "--all", "--no-legend"]);
      expect(list.stderr).toBe("");
      expect(list.stdout).toMatch(/^\.host /m);
    });

    it("passes rootlab verify --strict labs/09-machinectl.md inside", async () => {
      const r = await inside(container!, ["node", `${CHECKOUT_INSIDE}/bin/rootlab.js`, "verify", "--strict", `${CHECKOUT_INSIDE}/${LAB}`], 600_000, {
        ROOTLAB_DISPOSABLE: "1",
        ROOTLAB_CACHE: cacheRoot(),
        NO_COLOR: "1",
      });
      const output = `${r.stdout}\n${r.stderr}`;
      expect(output, output).toMatch(/machinectl passed/);
      expect(output, output).toMatch(/leak check: clean/);
      expect(r.code, output).toBe(0);
    }, 600_000);
  });
}
