// Resizing the terminal while a menu is shown: the menu is drawn again, cleanly, at the new width — once on the
// screen, every line within it, its lines made again for that width (a title shortened at a word), no word split
// by the terminal's own wrapping. The terminal is a real one that re-wraps on resize (tmux), resized between 120
// and 80 columns as a window is; what it shows is read back from it.
import { afterEach, beforeAll, afterAll, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { removeTmuxSocket } from "../helpers/tmux-socket.js";
import { BIN, ROOT } from "../helpers/cli.js";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
// A tmux server per test: a new one started right after the last one was killed may meet it still going away.
let socket = "";
let servers = 0;
let state: string;

/** Everything the terminal holds: its scrollback and its screen. */
function scrollback(): string {
  return tmux("capture-pane", "-p", "-S", "-", "-E", "-", "-t", "t");
}

/** Starts rootlab's lab menu in a tmux window of COLS×ROWS, after BEFORE (a command printing earlier output). */
function startMenu(cols: number, rows: number, before = "true", args = ""): void {
  socket = `rlt8-resize-${process.pid}-${++servers}`;
  const env = `env -u CI ROOTLAB_DISPOSABLE=1 XDG_STATE_HOME=${state} HOME=${state} NO_COLOR=1 LANG=C.UTF-8 TERM=xterm`;
  tmux("new-session", "-d", "-s", "t", "-x", String(cols), "-y", String(rows), "-c", ROOT, `${before}; ${env} ${process.execPath} ${BIN} ${args}; echo rootlab-exited-$?; sleep 600`);
  tmux("set", "-g", "history-limit", "10000");
}

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
}

/** What the terminal shows now (the visible screen, not its scrollback). */
function screen(): string {
  return tmux("capture-pane", "-p", "-t", "t");
}

async function until(what: string, ok: (s: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The menu's lines on the screen: from its question to its Quit line. */
function menuLines(s: string): string[] {
  const lines = s.split("\n");
  const from = lines.findIndex((l) => l.startsWith("? Which lab?"));
  const to = lines.findIndex((l, i) => i > from && l.trim() === "Quit");
  return from >= 0 && to > from ? lines.slice(from, to + 1) : [];
}

function expectCleanMenu(s: string, cols: number): void {
  expect(s.match(/\? Which lab\?/g), s).toHaveLength(1);
  expect(s.match(/^ {2}Quit$/gm), s).toHaveLength(1);
  const menu = menuLines(s);
  expect(menu.length, s).toBeGreaterThan(5);
  for (const line of menu) {
    expect(line.length, line).toBeLessThan(cols);
    // Every lab line is whole: it ends with its "(id…)" part or its note, never with a word cut by the terminal.
    if (/^[▸ ] [·✓▶] /.test(line)) expect(line, s).toMatch(/\)$|\) \(.*\)$|cannot run here$/);
  }
}

/** A step's question on screen S: once, from "? What now?" to its Quit line, every line within COLS columns. */
function expectCleanQuestion(s: string, cols: number): void {
  expect(s.match(/\? What now\?/g), s).toHaveLength(1);
  const lines = s.split("\n");
  const from = lines.findIndex((l) => l.startsWith("? What now?"));
  const to = lines.findIndex((l, i) => i > from && /^[ ▸] Quit/.test(l));
  expect(to - from, s).toBe(5); // Run it for me, I'll type it myself, Show a hint, Skip this step, Quit: a line each
  for (const line of lines.slice(from, to + 1)) expect(line.length, line).toBeLessThan(cols);
}

describeAsRoot("resizing the terminal while a menu is shown", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-resize-"));
  });
  afterEach(() => {
    try {
      tmux("kill-server");
    } catch {
      // not running
    }
    if (socket) removeTmuxSocket(socket);
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  it.skipIf(!hasTmux)("120 → 80 → 120 columns: the lab menu is drawn again for each width, once, whole", async () => {
    startMenu(120, 40);
    let s = await until("the menu", (x) => menuLines(x).length > 0);
    expectCleanMenu(s, 120);
    expect(s).toContain("(chroot, beginner, 20m)");

    tmux("resize-window", "-t", "t", "-x", "80", "-y", "30");
    s = await until("the menu made for 80 columns", (x) => /▸ · chroot: .*\(chroot\)$/m.test(x));
    expectCleanMenu(s, 80);

    tmux("resize-window", "-t", "t", "-x", "120", "-y", "40");
    s = await until("the menu made for 120 columns again", (x) => x.includes("(chroot, beginner, 20m)"));
    expectCleanMenu(s, 120);

    // Still a working menu: Down moves the cursor, Esc leaves.
    tmux("send-keys", "-t", "t", "Down");
    s = await until("the cursor on the second lab", (x) => /^▸ · Namespaces with systemd-nspawn/m.test(x));
    expectCleanMenu(s, 120);
    tmux("send-keys", "-t", "t", "Escape");
    await until("rootlab to leave the menu", (x) => !/\? Which lab\? …/.test(x) || /Which lab\? · /.test(x));
  }, 120_000);

  // The terminal re-wraps what it shows when it is resized. The menu's cursor rests on its last line, so the terminal
  // keeps the menu in view and the redraw erases all of it; with the cursor on the question line (enquirer's own
  // way), the re-wrapped choices pushed the whole menu into the scrollback, and each resize left a copy there.
  it.skipIf(!hasTmux)("80×30 → 120×40 → 80×30 → 120×40 → 80×30 after earlier output: one menu, on the screen and in the scrollback", async () => {
    startMenu(80, 30, "seq 60");
    await until("the menu", (x) => menuLines(x).length > 0);
    for (const [cols, rows, drawn] of [[120, 40, "(chroot, beginner, 20m)"], [80, 30, "(chroot)"], [120, 40, "(chroot, beginner, 20m)"], [80, 30, "(chroot)"]] as const) {
      tmux("resize-window", "-t", "t", "-x", String(cols), "-y", String(rows));
      const s = await until(`the menu made for ${cols} columns`, (x) => x.includes(drawn) && menuLines(x).length > 0);
      expectCleanMenu(s, cols);
    }
    const all = scrollback();
    expect(all.match(/\? Which lab\?/g), all).toHaveLength(1);
    expect(all.match(/^[ ▸] Quit$/gm), all).toHaveLength(1);
    expect(all).toContain("\n60\n"); // the earlier output is still there, above the menu
  }, 120_000);

  // A step's question has fixed choices; their hints were made once, for the width the question was first drawn at,
  // and the terminal broke the longest mid-word after a resize to 60 columns.
  it.skipIf(!hasTmux)("a step's \"What now?\" at 80×30 → 60×30 → 100×30: each choice's hint refitted, cut at a word, whole again", async () => {
    startMenu(80, 30, "true", "start test/fixtures/guided/rlt8-tiny.md");
    const whole = /^ {2}I'll type it myself \(the session's own shell; check to come back\)$/m;
    let s = await until("the step's question", (x) => /\? What now\?/.test(x) && /^ {2}Quit /m.test(x), 60_000);
    expect(s).toMatch(whole);
    expectCleanQuestion(s, 80);

    tmux("resize-window", "-t", "t", "-x", "60", "-y", "30");
    s = await until("the question made for 60 columns", (x) => /^ {2}I'll type it myself \(the session's own shell; check to…\)$/m.test(x));
    expectCleanQuestion(s, 60);

    tmux("resize-window", "-t", "t", "-x", "100", "-y", "30");
    s = await until("the question made for 100 columns", (x) => whole.test(x));
    expectCleanQuestion(s, 100);

    // Still a working question: Ctrl-D quits (rootlab cleans up, exit status 0).
    tmux("send-keys", "-t", "t", "C-d");
    s = await until("rootlab to quit", (x) => /rootlab-exited-\d+/.test(x), 60_000);
    expect(s).toContain("rootlab-exited-0");
  }, 120_000);

  it.skipIf(!hasTmux)("80×30 → 120×40 → 80×30 on an empty terminal: no whole copy of the menu is left in the scrollback", async () => {
    startMenu(80, 30);
    await until("the menu", (x) => menuLines(x).length > 0);
    for (const [cols, rows, drawn] of [[120, 40, "(chroot, beginner, 20m)"], [80, 30, "(chroot)"]] as const) {
      tmux("resize-window", "-t", "t", "-x", String(cols), "-y", String(rows));
      expectCleanMenu(await until(`the menu made for ${cols} columns`, (x) => x.includes(drawn) && menuLines(x).length > 0), cols);
    }
    // Near the top of an empty screen, the rows the terminal's re-wrapping adds push the menu's first rows up
    // into the scrollback, where no program can erase them; the rest of the old menu is gone.
    const all = scrollback();
    expect(all.match(/^[ ▸] Quit$/gm), all).toHaveLength(1);
    expect(all.match(/Namespaces with systemd-nspawn/g)!.length, all).toBeLessThanOrEqual(2);
    expect(all.match(/A container runtime in a hundred lines of shell/g), all).toHaveLength(1);
  }, 120_000);
});
