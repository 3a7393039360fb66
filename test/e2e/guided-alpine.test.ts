// The real alpine-rootfs lab as a newcomer does it on a machine without internet: the pinned tarball is in
// rootlab's cache (`rootlab cache fill --from FILE`, as before a workshop), no ROOTLAB_ALPINE_URL, so rootlab
// serves the cached copy on 127.0.0.1 and the learner's own curl downloads it. In an 80×30 terminal, every
// command read off the screen and TYPED key by key, then `check`: every step passes, the output each
// explanation talks about is on the screen with it, no line rootlab writes is wider than the terminal.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { ALPINE_FIXTURE, ALPINE_MISSING } from "../helpers/shared-fixtures.js";
import { loadLab } from "../../src/format/load.js";
import { Screen } from "./guided-driver.js";
import { COLS, linesTooWide, ROWS, seenWith, typeStep, type ExplanationCheck } from "./typed-lab.js";

const LAB_FILE = join(ROOT, "labs/07-alpine-rootfs.md");
let state: string;
let cache: string;
let screen: Screen | undefined;

/** Per step (0-based): the output its explanation talks about, and the explanation's words about it, on one screen. */
const SEEN_WITH_EXPLANATION: Record<number, ExplanationCheck> = {
  // Offline: rootlab's own copy, on loopback, fetched by the learner's curl.
  0: (sc) => seenWith(sc, "about 3.5 MB", [/^http:\/\/127\.0\.0\.1:\d+\/alpine\//m, /\b3\d{6} .* alpine-minirootfs\.tar\.gz\s*$/m]),
  1: (sc) =>
    seenWith(sc, "a warning on stderr", [/^\s*alpine-minirootfs\.tar\.gz: OK\s*$/m, /^\s*corrupt\.tar\.gz: FAILED\s*$/m, /WARNING: 1 computed checksum did NOT match/]),
  2: (sc) => {
    // Eight commands typed: at 80×30 the commands whose output is left out share a row, so the lines the
    // explanation quotes are on its screen.
    const screen = seenWith(sc, "corrupt-root was never created", [/sh verify-and-extract\.sh corrupt\.tar\.gz/, /^\s*corrupt\.tar\.gz: FAILED\s*$/m, /^\s*site-root\/var\/www\/index\.html 0:82\s*$/m]);
    expect(screen).not.toMatch(/not found/); // the script as shown, typed as shown, has no broken line
  },
  3: (sc) =>
    seenWith(sc, "PID 1 of its own PID namespace", [
      /^\s*uid=0\(root\) gid=0\(root\)\s*$/m,
      /^\s*0\s+[1-9]\d*\s+65536\s*$/m,
      /^\s*my PID: 1\s*$/m,
      /^\s*-rw-r--r-- 1 \d+ \d+ 0 .* from-container\s*$/m,
    ]),
  4: (sc) => {
    const screen = seenWith(sc, "ldd lists the same file twice", [/^\s*apk-tools \d/m]);
    // ldd lists the musl loader twice: as the loader and as the C library.
    expect(screen.match(/^\s+.*\/lib\/ld-musl-x86_64\.so\.1 \(0x[0-9a-f]+\)\s*$/gm)?.length, screen).toBe(2);
  },
  5: (sc) => seenWith(sc, "passes the command's exit status (1)", [/^\s*touch: \/root\/while-read-only: Read-only file system\s*$/m, /^\s*exit status: 1\s*$/m]),
};

describeAsRoot("the alpine-rootfs lab, offline, typed by hand in an 80×30 terminal", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-alpine-state-"));
    cache = await mkdtemp(join(tmpdir(), "rlt8-alpine-cache-"));
  });
  afterEach(async () => {
    await screen?.stop();
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });

  it.skipIf(ALPINE_MISSING !== undefined)("every step passes with commands typed as shown; the output each explanation is about is on screen with it", async () => {
    const fill = await runCli(["cache", "fill", "--from", ALPINE_FIXTURE], { env: { ROOTLAB_CACHE: cache } });
    expect(fill.code, fill.stderr).toBe(0);
    const parsed = await loadLab(LAB_FILE);
    if (!parsed.ok) throw new Error(`labs/07-alpine-rootfs.md does not parse: ${JSON.stringify(parsed.diagnostics)}`);
    const lab = parsed.lab;
    // No ROOTLAB_ALPINE_URL (an empty value is unset) and no ROOTLAB_ONLINE: the machine counts as offline.
    const env = { ROOTLAB_DISPOSABLE: "1", XDG_STATE_HOME: state, HOME: state, ROOTLAB_CACHE: cache, ROOTLAB_ALPINE_URL: "", ROOTLAB_ONLINE: "" };
    const s = (screen = new Screen(["start", "alpine-rootfs"], env, COLS, undefined, ROWS));
    for (const step of lab.steps) await typeStep(s, lab, step, SEEN_WITH_EXPLANATION[step.index]);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    await s.waitFor(new RegExp(`${lab.steps.length}/${lab.steps.length} steps,\\s+0 hints used`));
    expect((await s.exited).exitCode).toBe(0);
    expect(s.text).not.toMatch(/✗/);
    expect(linesTooWide(s.output)).toEqual([]);
  }, 600_000);
});
