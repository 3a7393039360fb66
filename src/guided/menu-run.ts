// Plain `sudo rootlab`: list the labs with progress and availability, let the learner pick one, guide it.
import type { Lab } from "../format/types.js";
import { loadAllLabs, labsDir } from "../format/load.js";
import { checkRequires } from "../host/preflight.js";
import { UsageError } from "../core/errors.js";
import { signalExitCode } from "../core/interrupts.js";
import { trapGuidedInterrupts } from "./interrupts.js";
import { createStyle } from "../term/style.js";
import { printer } from "./context.js";
import { guideLab } from "./guided-run.js";
import { firstLabToOffer, labToOfferAfter, menuChoices, menuEntry, unmetNotes, type MenuEntry } from "./menu.js";
import { wrapText } from "../term/wrap.js";
import { assertMayExecute } from "../host/guard.js";
import { choose } from "./prompts.js";
import { progressLocation, readAllProgress } from "./progress.js";
import type { GuidedRoom } from "./room-hooks.js";
import { rootlabCommand } from "../core/rootlab-command.js";

export interface MenuOptions {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  dir?: string;
  disposableFlag?: boolean;
  room?: GuidedRoom;
  /** Lab id the menu's cursor starts on (after a lab: the next one to do). */
  cursorAt?: string;
}

/** Shows the menu; a lab picked from it runs, then the menu comes back (with the new progress) until Quit. */
export async function runMenu(opts: MenuOptions): Promise<number> {
  // Refuse before anything is shown: a learner should not pick a lab only to hear it cannot run on this machine.
  const permit = assertMayExecute({ disposableFlag: Boolean(opts.disposableFlag) });
  let cursorAt = opts.cursorAt;
  for (;;) {
    // Signals at the menu: nothing to clean up yet, but the prompt must end and the terminal be left sane.
    const interrupts = trapGuidedInterrupts(opts, () => undefined, () => undefined);
    let picked: Lab | undefined;
    try {
      picked = await pickLab({ ...opts, ...(cursorAt ? { cursorAt } : {}) }, interrupts.signal);
    } finally {
      interrupts.dispose();
    }
    const sig = interrupts.received();
    if (sig) return signalExitCode(sig);
    if (!picked) return 0;
    const code = await guideLab(picked, { stdin: opts.stdin, stdout: opts.stdout, permit, disposableFlag: opts.disposableFlag, ...(opts.room ? { room: opts.room } : {}) });
    // Interrupted (Ctrl-C) or the terminal closed (exit 128+signal): stop, as a person who pressed Ctrl-C expects.
    if (code >= 128) return code;
    cursorAt = (await labToOfferAfter(picked, opts.dir ?? labsDir())) ?? picked.meta.id;
    printer(opts.stdout)("");
  }
}

async function pickLab(opts: MenuOptions, signal: AbortSignal): Promise<Lab | undefined> {
  const style = createStyle(opts.stdout);
  const print = printer(opts.stdout);
  const dir = opts.dir ?? labsDir();
  const loaded = await loadAllLabs(dir);
  if (loaded.length === 0) throw new UsageError(`no labs (*.md) found in ${dir}.\nSet ROOTLAB_LABS or --labs-dir to the folder holding your labs.`);
  const { labs: progress, warnings } = await readAllProgress();
  for (const w of warnings) print(style.chalk.yellow(`warning: ${w}`));
  const entries: MenuEntry[] = [];
  for (const { file, result } of loaded) {
    if (!result.ok) {
      entries.push({ kind: "invalid", file, problem: `invalid lab file: run \`${rootlabCommand()} lint\` on it` });
      continue;
    }
    entries.push(menuEntry(result.lab, progress[result.lab.meta.id], await checkRequires(result.lab.meta.requires, result.lab.meta.uses)));
  }
  const columns = opts.stdout.columns || 80;
  const wrap = (text: string) => wrapText(text, columns - 1);
  const marks = style.unicode ? "✓ done, ▶ in progress, · not started" : "x done, > in progress, . not started";
  print(wrap(`${style.chalk.bold("rootlab")} ${style.chalk.dim(`${style.sym.bullet} labs in ${dir} ${style.sym.bullet} progress in ${progressLocation().file}`)}`));
  print(wrap(style.chalk.dim(`Pick a lab with the arrow keys and Enter (Esc or Ctrl-D quits). ${marks}.`)));
  for (const note of unmetNotes(entries)) print(wrap(style.chalk.dim(note)));
  const initial = opts.cursorAt ? entries.findIndex((e) => e.kind === "lab" && e.lab.meta.id === opts.cursorAt) : firstLabToOffer(entries);
  // Fitted to the terminal's width, and again when it is resized.
  const answer = await choose("Which lab?", (cols) => menuChoices(entries, style, cols), { ...opts, signal, ...(initial >= 0 ? { initial } : {}) });
  if (answer.kind === "cancelled" || answer.value === "") return undefined;
  const chosen = entries.find((e) => e.kind === "lab" && e.lab.meta.id === answer.value);
  return chosen?.kind === "lab" ? chosen.lab : undefined;
}
