// Which shell "I'll type it myself" opens for a step as a whole (after a failed check, or to type the solution).
// A step may run its commands in several sessions (work in the box, then a look from the host): then the learner
// chooses, each shell named with the commands that ran there. Opening the last command's session without asking
// handed a new-user trial the host's shell to redo the box's work, and the hint's `rm /dev/null` ran on the host.
import type { Step } from "../format/types.js";
import { choose, type Choice } from "./prompts.js";
import { commandBlocks, type Guided } from "./context.js";

/** The sessions the step's commands run in, in order of first use, each with its commands' numbers (from 1). */
export function stepSessions(step: Step): { name: string; commands: number[] }[] {
  const sessions: { name: string; commands: number[] }[] = [];
  commandBlocks(step).forEach((block, i) => {
    const name = block.enter ?? block.session;
    const known = sessions.find((s) => s.name === name);
    if (known) known.commands.push(i + 1);
    else sessions.push({ name, commands: [i + 1] });
  });
  return sessions;
}

/**
 * The likeliest shell for the step's own work: the last command's session that is not the host (host commands in
 * a namespace step set it up or look from outside), else host; a step without commands, its solution's session.
 */
export function workSession(step: Step): string {
  const names = commandBlocks(step).map((b) => b.enter ?? b.session);
  return names.filter((n) => n !== "host").at(-1) ?? names.at(-1) ?? step.blocks.find((b) => b.role === "solution")?.session ?? "host";
}

const numbers = (list: number[]): string => (list.length === 1 ? `command ${list[0]}` : `commands ${list.slice(0, -1).join(", ")} and ${list.at(-1)}`);

/** Asks which shell when the step's commands ran in more than one (the likeliest first under the cursor); else that one. */
export async function pickWorkSession(g: Guided, step: Step): Promise<string | undefined> {
  const sessions = stepSessions(step);
  const likely = workSession(step);
  if (sessions.length < 2) return likely;
  g.live.stopSpinner();
  const choices: Choice<string>[] = sessions.map((s) => ({ value: `s:${s.name}`, label: `the ${s.name} shell`, hint: `where ${numbers(s.commands)} ran` }));
  choices.push({ value: "back", label: "Back", hint: "no shell now" });
  const initial = Math.max(0, sessions.findIndex((s) => s.name === likely));
  const answer = await choose("This step's commands ran in more than one shell. Type in which?", choices, { ...g.term, initial });
  return answer.kind === "chosen" && answer.value.startsWith("s:") ? answer.value.slice(2) : undefined;
}
