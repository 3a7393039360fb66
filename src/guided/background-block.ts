// A `background` block (a server: `exec openssl s_server …`, `exec haproxy …`, `exec runc run …`) in guided mode.
// It never ends by itself, so it is not offered for typing: typed at the session's prompt it held that shell (its
// `exec` turned the host's shell into the server) and Ctrl-C, the only way back, ended the session. rootlab starts
// it beside the session's shell instead, says so before and after, and says where its output goes: the engine
// writes it to a log in `$LAB_DIR/.rootlab/` (src/exec/lifecycle.ts) when the session shares the host's root,
// and names it in the block's result; else it drops it.
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

/**
 * LOG (the engine's BlockResult.log: the file it created before the job started) as the learner types it,
 * `$LAB_DIR/.rootlab/bg-N.log`. Taken from the result, never looked for in the folder: the job opens its log in
 * a forked child, which may run only after the block has returned. Undefined when the output is dropped. Pure.
 */
export function shownLog(log: string | undefined, labDir: string): string | undefined {
  if (log === undefined) return undefined;
  const dir = `${labDir.replace(/\/+$/, "")}/`;
  return log.startsWith(dir) ? `$LAB_DIR/${log.slice(dir.length)}` : log;
}
