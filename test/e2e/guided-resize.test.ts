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
import { BIN, ROOT } from "../helpers/cli.js";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const SOCKET = `rlt8-resize-${process.pid}`;
let state: string;

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
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
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  it.skipIf(!hasTmux)("120 → 80 → 120 columns: the lab menu is drawn again for each width, once, whole", async () => {
    const env = `env -u CI ROOTLAB_DISPOSABLE=1 XDG_STATE_HOME=${state} HOME=${state} NO_COLOR=1 LANG=C.UTF-8 TERM=xterm`;
    tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "40", "-c", ROOT, `${env} ${process.execPath} ${BIN}; sleep 600`);
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
});
