// Fixtures on the real machine: the busybox rootfs (built once per busybox binary, copied per lab) and the
// real Alpine minirootfs served from 127.0.0.1 / file:// (never from the internet), checksum-verified.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { copyFileSync, createReadStream, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import { fillAlpineCache, fixtureNeed, prepareFixtures, releaseFixtures } from "../../src/host/fixtures/index.js";
import { ALPINE_SHA256 } from "../../src/host/fixtures/alpine.js";
import { describeAsRoot, isRoot } from "../helpers/root.js";
import { ALPINE_FIXTURE, describeWithAlpine } from "../helpers/shared-fixtures.js";

const SAVED = { ...process.env };
let scratch: string;
let labDir: string;
type Ev = [string, string, string];

function freshEnv(): void {
  for (const k of ["ROOTLAB_CACHE", "ROOTLAB_BUSYBOX", "ROOTLAB_ALPINE_URL"]) delete process.env[k];
  process.env.ROOTLAB_CACHE = mkdtempSync(join(scratch, "cache-"));
  labDir = mkdtempSync(join(scratch, "lab-"));
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "rlt3-fixtures-"));
});
beforeEach(freshEnv);
afterAll(() => {
  for (const k of ["ROOTLAB_CACHE", "ROOTLAB_BUSYBOX", "ROOTLAB_ALPINE_URL"]) {
    if (SAVED[k] === undefined) delete process.env[k];
    else process.env[k] = SAVED[k];
  }
  rmSync(scratch, { recursive: true, force: true });
});

describeAsRoot("busybox-rootfs", () => {
  it("builds the rootfs like mkrootfs, then serves it from the cache", async () => {
    const events: Ev[] = [];
    const env = await prepareFixtures(["busybox-rootfs"], labDir, (...e) => events.push(e));
    const r = join(labDir, "busybox-rootfs");
    expect(env).toEqual({ BUSYBOX_ROOTFS: r });
    expect(events).toEqual([["busybox-rootfs", r, "built"]]);
    expect(lstatSync(join(r, "bin/busybox")).isFile()).toBe(true); // copied, not linked
    expect(readlinkSync(join(r, "bin/sh"))).toBe("../bin/busybox");
    expect(readlinkSync(join(r, "usr/bin/awk"))).toBe("../../bin/busybox");
    expect(readlinkSync(join(r, "sbin/ip"))).toBe("../bin/busybox");
    expect(statSync(join(r, "tmp")).mode & 0o7777).toBe(0o1777);
    for (const d of ["proc", "sys", "dev", "etc", "root", "var", "run"]) expect(statSync(join(r, d)).isDirectory()).toBe(true);
    expect(readFileSync(join(r, "etc/passwd"), "utf8")).toBe("root:x:0:0:root:/root:/bin/sh\n");
    expect(readFileSync(join(r, "etc/os-release"), "utf8")).toContain("ID=busybox");
    expect(execFileSync("find", [r, "-xtype", "l"]).toString()).toBe(""); // no dangling links
    expect(execFileSync("chroot", [r, "/bin/sh", "-c", "echo inside; ls /usr/bin/awk"]).toString()).toBe("inside\n/usr/bin/awk\n");

    const lab2 = mkdtempSync(join(scratch, "lab-"));
    const again: Ev[] = [];
    await prepareFixtures(["busybox-rootfs"], lab2, (...e) => again.push(e));
    expect(again).toEqual([["busybox-rootfs", join(lab2, "busybox-rootfs"), "cached"]]);
    const cacheDirs = readdirSync(join(process.env.ROOTLAB_CACHE!, "busybox-rootfs"));
    expect(cacheDirs).toHaveLength(1); // no temp dirs left behind
  });

  it("each lab gets its own writable copy", async () => {
    await prepareFixtures(["busybox-rootfs"], labDir);
    const lab2 = mkdtempSync(join(scratch, "lab-"));
    await prepareFixtures(["busybox-rootfs"], lab2);
    execFileSync("touch", [join(labDir, "busybox-rootfs/etc/mine")]);
    expect(existsSync(join(lab2, "busybox-rootfs/etc/mine"))).toBe(false);
  });

  it("rebuilds when the busybox binary changes", async () => {
    await prepareFixtures(["busybox-rootfs"], labDir);
    const changed = join(scratch, "busybox-changed");
    copyFileSync("/usr/bin/busybox", changed);
    appendFileSync(changed, "different bytes, same program");
    process.env.ROOTLAB_BUSYBOX = changed;
    const events: Ev[] = [];
    await prepareFixtures(["busybox-rootfs"], mkdtempSync(join(scratch, "lab-")), (...e) => events.push(e));
    expect(events[0]?.[2]).toBe("built");
    expect(readdirSync(join(process.env.ROOTLAB_CACHE!, "busybox-rootfs"))).toHaveLength(2);
  });

  it("two builds at once both succeed and leave one cache entry", async () => {
    const [a, b] = await Promise.all([prepareFixtures(["busybox-rootfs"], labDir), prepareFixtures(["busybox-rootfs"], mkdtempSync(join(scratch, "lab-")))]);
    expect(existsSync(join(a.BUSYBOX_ROOTFS!, "bin/busybox"))).toBe(true);
    expect(existsSync(join(b.BUSYBOX_ROOTFS!, "bin/busybox"))).toBe(true);
    expect(readdirSync(join(process.env.ROOTLAB_CACHE!, "busybox-rootfs"))).toHaveLength(1);
  });

  it.each([
    ["missing", "/nonexistent/busybox", /not found.*apt-get install busybox-static/s],
    ["dynamically linked", process.execPath, /dynamically linked \(it needs \/lib.*ld-linux.*apt-get install busybox-static/s],
  ])("refuses a %s busybox with the reason", async (_what, path, message) => {
    process.env.ROOTLAB_BUSYBOX = path;
    await expect(prepareFixtures(["busybox-rootfs"], labDir)).rejects.toThrow(message);
    expect(existsSync(join(labDir, "busybox-rootfs"))).toBe(false);
  });
});

(isRoot ? describeWithAlpine : describeAsRoot)("alpine-rootfs", () => {
  let server: Server;
  let base = "";
  let corrupt = "";
  let closedUrl = "";
  const requests: string[] = [];

  beforeAll(async () => {
    corrupt = join(scratch, "corrupt.tar.gz");
    copyFileSync(ALPINE_FIXTURE, corrupt);
    appendFileSync(corrupt, "X");
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      const file = req.url === "/alpine.tar.gz" ? ALPINE_FIXTURE : req.url === "/corrupt.tar.gz" ? corrupt : undefined;
      if (!file) {
        res.writeHead(404).end("not here");
        return;
      }
      res.writeHead(200, { "content-type": "application/gzip" });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/alpine.tar.gz`;
    await new Promise<void>((r) => closed.close(() => r())); // nothing listens there any more
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const tarball = () => join(process.env.ROOTLAB_CACHE!, "alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");

  it("downloads over http, verifies, extracts; the second time it comes from the cache", async () => {
    process.env.ROOTLAB_ALPINE_URL = `${base}/alpine.tar.gz`;
    const events: Ev[] = [];
    const env = await prepareFixtures(["alpine-rootfs"], labDir, (...e) => events.push(e));
    const rootfs = join(labDir, "alpine-rootfs");
    expect(env).toEqual({ ALPINE_ROOTFS: rootfs, ALPINE_TARBALL: tarball(), ALPINE_URL: `${base}/alpine.tar.gz`, ALPINE_SHA256, ALPINE_VERSION: "3.20.3" });
    expect(events).toEqual([["alpine-rootfs", rootfs, "downloaded"]]);
    expect(readFileSync(join(rootfs, "etc/alpine-release"), "utf8").trim()).toBe("3.20.3");
    expect(readlinkSync(join(rootfs, "bin/sh"))).toBe("/bin/busybox");
    expect(statSync(join(rootfs, "etc/shadow")).uid).toBe(0);
    const count = requests.length;
    const again: Ev[] = [];
    await prepareFixtures(["alpine-rootfs"], mkdtempSync(join(scratch, "lab-")), (...e) => again.push(e));
    expect(again[0]?.[2]).toBe("cached");
    expect(requests.length).toBe(count);
  });

  it("accepts a file:// URL", async () => {
    process.env.ROOTLAB_ALPINE_URL = `file://${ALPINE_FIXTURE}`;
    const env = await prepareFixtures(["alpine-rootfs"], labDir);
    expect(readFileSync(join(env.ALPINE_ROOTFS!, "etc/alpine-release"), "utf8").trim()).toBe("3.20.3");
  });

  it.each([
    ["http", () => `${base}/corrupt.tar.gz`],
    ["file", () => `file://${corrupt}`],
  ])("a corrupted tarball (%s) is a checksum error naming both hashes and the URL, and is not cached", async (_s, url) => {
    process.env.ROOTLAB_ALPINE_URL = url();
    const err = (await prepareFixtures(["alpine-rootfs"], labDir).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    const got = execFileSync("sha256sum", [corrupt]).toString().split(" ")[0]!;
    expect(err.message).toContain(ALPINE_SHA256);
    expect(err.message).toContain(got);
    expect(err.message).toContain(url());
    expect(readdirSync(join(process.env.ROOTLAB_CACHE!, "alpine"))).toEqual([]); // no tarball, no temp file
    expect(existsSync(join(labDir, "alpine-rootfs"))).toBe(false);
  });

  it("re-verifies the cached file and replaces a damaged one", async () => {
    process.env.ROOTLAB_ALPINE_URL = `file://${ALPINE_FIXTURE}`;
    await prepareFixtures(["alpine-rootfs"], labDir);
    appendFileSync(tarball(), "damage");
    const events: Ev[] = [];
    await prepareFixtures(["alpine-rootfs"], mkdtempSync(join(scratch, "lab-")), (...e) => events.push(e));
    expect(events[0]?.[2]).toBe("downloaded");
    expect(execFileSync("sha256sum", [tarball()]).toString().split(" ")[0]).toBe(ALPINE_SHA256);
  });

  it.each([
    ["a 404", () => `${base}/missing.tar.gz`, /HTTP 404.*ROOTLAB_ALPINE_URL=file:/s],
    ["a missing file", () => "file:///nonexistent/alpine.tar.gz", /no such file \/nonexistent\/alpine.tar.gz/],
    ["a closed port", () => closedUrl, /could not download http:\/\/127.0.0.1:\d+\/alpine.tar.gz: 127.0.0.1:\d+ refused the connection \(ECONNREFUSED\)/],
    ["another scheme", () => "ftp://127.0.0.1/alpine.tar.gz", /unsupported URL scheme "ftp:"/],
  ])("says what went wrong for %s", async (_what, url, message) => {
    process.env.ROOTLAB_ALPINE_URL = url();
    await expect(prepareFixtures(["alpine-rootfs"], labDir)).rejects.toThrow(message);
  });
});

(isRoot ? describeWithAlpine : describeAsRoot)("alpine-rootfs offline (no ROOTLAB_ALPINE_URL, no ROOTLAB_ONLINE)", () => {
  beforeEach(() => delete process.env.ROOTLAB_ONLINE);
  afterAll(() => delete process.env.ROOTLAB_ONLINE);

  it("serves the verified cached copy on 127.0.0.1 for the lab, and stops serving it at releaseFixtures", async () => {
    const filled = await fillAlpineCache({ from: ALPINE_FIXTURE });
    expect(filled.status).toBe("filled");
    const env = await prepareFixtures(["alpine-rootfs"], labDir);
    expect(env.ALPINE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/alpine\/v3\.20\/releases\/x86_64\/alpine-minirootfs-3\.20\.3-x86_64\.tar\.gz$/);
    const got = createHash("sha256").update(Buffer.from(await (await fetch(env.ALPINE_URL!)).arrayBuffer())).digest("hex");
    expect(got).toBe(ALPINE_SHA256);
    expect((await fetch(env.ALPINE_URL!.replace(/[^/]+$/, "other.tar.gz"))).status).toBe(404);
    await releaseFixtures(labDir);
    await expect(fetch(env.ALPINE_URL!)).rejects.toThrow();
  });

  it("with nothing cached, refuses before extracting anything, saying how to fill the cache", async () => {
    await expect(prepareFixtures(["alpine-rootfs"], labDir)).rejects.toThrow(/not in rootlab's cache and this machine counts as offline.*cache fill --from FILE-or-URL/s);
    expect((await fixtureNeed("alpine-rootfs")).state).toBe("unmet");
    process.env.ROOTLAB_ONLINE = "1";
    expect((await fixtureNeed("alpine-rootfs")).state).toBe("met"); // declared online: downloaded on first use
  });
});

describeWithAlpine("both fixtures together", () => {
  it.skipIf(process.getuid?.() !== 0)("returns the union of the variables", async () => {
    process.env.ROOTLAB_ALPINE_URL = `file://${ALPINE_FIXTURE}`;
    const env = await prepareFixtures(["busybox-rootfs", "alpine-rootfs"], labDir);
    expect(Object.keys(env).sort()).toEqual(["ALPINE_ROOTFS", "ALPINE_SHA256", "ALPINE_TARBALL", "ALPINE_URL", "ALPINE_VERSION", "BUSYBOX_ROOTFS"]);
  });
});
