// A `background` block (a server: `exec openssl s_server …`, `exec haproxy …`, `exec runc run …`) in guided mode.
// It never ends by itself, so it is not offered for typing: typed at the session's prompt it held that shell (its
// `exec` turned the host's shell into the server) and Ctrl-C, the only way back, ended the session. rootlab starts
// it beside the session's shell instead, says so before and after, and says where its output goes: the engine
// writes it to a log in `$LAB_DIR/.rootlab/` (src/exec/lifecycle.ts) when the session shares the host's root,
// else drops it.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Block } from "../format/types.js";
import { wrapText } from "../term/wrap.js";
import type { View } from "./render.js";

/** Said under a background command, before the question: why there is no "I'll type it myself". Pure. */
export function backgroundIntro(block: Block, v: View): string {
  const where = block.session === "host" ? "the host's shell" : `the shell of session "${block.session}"`;
  const said =
    `This command keeps running (it does not give the prompt back), so rootlab starts it in the background, beside ` +
    `${where}, and stops it when the lab ends. It is not one to type: at your prompt it would hold the shell ` +
    "(with `exec`, become it), and Ctrl-C would end the session.";
  return wrapText(v.style.chalk.dim(said), v.width);
}

/**
 * What rootlab says once the block started. LOG: its output file, as `$LAB_DIR/…` (undefined: the session's root is
 * not the host's, and the output is dropped). Pure.
 */
export function backgroundStarted(block: Block, log: string | undefined, v: View): string {
  const { chalk, sym } = v.style;
  const where = block.session === "host" ? "" : ` (from session "${block.session}")`;
  const said = `${chalk.green(sym.pass)} Started in the background${where}: it keeps running while you go on, and rootlab stops it when the lab ends.`;
  // The command to read the log on a line of its own, whole, to copy.
  const output = log
    ? ["What it prints goes to a file; to see it:", `    cat "${log}"`]
    : [wrapText("What it prints is not kept (its session's root is not the host's); the step's checks show that it answers.", v.width, { firstIndent: "  ", indent: "  " })];
  return [wrapText(said, v.width, { firstIndent: "", indent: "  " }), ...output.map((l, i) => (i === 0 && log ? `  ${l}` : l))].join("\n");
}

/** The engine's name for a background block's output file (src/exec/lifecycle.ts: `bg-N.log`). */
const LOG_NAME = /^bg-\d+\.log$/;

/** The background logs in LAB_DIR's `.rootlab/` folder now, by name (empty when it cannot be read). */
export function backgroundLogs(labDir: string): string[] {
  try {
    return readdirSync(join(labDir, ".rootlab")).filter((n) => LOG_NAME.test(n));
  } catch {
    return [];
  }
}

/**
 * The log of the background block just started, as `$LAB_DIR/.rootlab/bg-N.log`: the one that appeared since BEFORE
 * (the logs there before it started); when none appeared (the engine reuses a number once a session with its jobs
 * ended), the newest written since SINCE (ms since the epoch: it is created or truncated as the block starts).
 * Undefined when there is none: the output is dropped.
 */
export function backgroundLog(labDir: string, before: readonly string[], since: number): string | undefined {
  const now = backgroundLogs(labDir);
  const added = now.filter((n) => !before.includes(n));
  if (added.length === 1) return `$LAB_DIR/.rootlab/${added[0]}`;
  // mtime's clock is coarser than Date.now() on some file systems: a second's slack, then the newest one.
  const dir = join(labDir, ".rootlab");
  const written = (added.length > 0 ? added : now)
    .map((n) => ({ n, at: statMs(join(dir, n)) }))
    .filter((f) => f.at !== undefined && f.at >= since - 1000)
    .sort((a, b) => (b.at as number) - (a.at as number));
  return written[0] ? `$LAB_DIR/.rootlab/${written[0].n}` : undefined;
}

function statMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
