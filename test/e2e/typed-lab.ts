// A student at an 80×30 terminal doing a lab by typing: each command is read off the screen as it is shown
// (wrapped lines, continuation marks and all), "I'll type it myself" is chosen, the lines are typed key by key
// into the session's shell, and `check` gives the shell back. At each explanation the visible screen is handed
// to the test, which asserts that the output the explanation talks about is on it.
import { expect } from "vitest";
import type { Block, Lab, Step } from "../../src/format/types.js";
import { displayWidth } from "../../src/term/width.js";
import { prompts, renderTranscript, Screen, visibleScreen } from "./guided-driver.js";

export const COLS = 80;
export const ROWS = 30;
const TYPE_IT = 1;
const LONG = 180_000;

/** The visible 80×30 screens while a step's explanation is up (one per page of it), checked by the test. */
export type ExplanationCheck = (screens: string[]) => void;

const flat = (screen: string) => screen.replace(/`/g, "").replace(/\s+/g, " "); // without colour, code keeps its backticks

/** SCREEN says PHRASE (wherever its lines wrap). */
export function says(screen: string, phrase: string): void {
  expect(flat(screen)).toContain(phrase);
}

/**
 * The screen on which the explanation says PHRASE (wherever its lines wrap); every pattern of OUTPUT (what the
 * commands printed, which that sentence is about) must be on that same screen. Returns it for further checks.
 */
export function seenWith(screens: string[], phrase: string, output: RegExp[] = []): string {
  const screen = screens.find((sc) => flat(sc).includes(phrase));
  expect(screen, `the explanation says "${phrase}" on one of the screens:\n${screens.join("\n=====\n")}`).toBeDefined();
  for (const pattern of output) expect(screen, `${String(pattern)} is on the screen where the explanation says "${phrase}"`).toMatch(pattern);
  return screen!;
}

/**
 * The command now on SCREEN under its "Command …" heading, as the learner reads it: its 4-column indent removed,
 * and the lines shown at column 0 (the rest of a cut word, a here-document's body) taken as they are.
 */
export function commandOnScreen(screen: string): string[] {
  const lines = screen.split("\n");
  const head = lines.findLastIndex((l) => /^Command( \d+\/\d+)? \(/.test(l));
  if (head < 0) throw new Error(`no command on the screen:\n${screen}`);
  const out: string[] = [];
  for (const [i, line] of lines.slice(head + 1).entries()) {
    const next = lines[head + 2 + i] ?? "";
    if (line.startsWith("    ")) out.push(line.slice(4));
    else if (line.trim() === "") {
      if (next.trim() === "" || next.startsWith("? ")) break;
      out.push("");
    } else if (line.startsWith("? ")) break;
    else out.push(line);
  }
  while (out.at(-1) === "") out.pop();
  return out;
}

/** Types LINE key by key and Enter, then waits for the next prompt of SESSION's shell or a continuation prompt. */
async function typeLine(s: Screen, session: string, line: string): Promise<void> {
  const before = [s.count(prompts(session)), s.count(/\n> /g)];
  for (const key of line) s.send(key);
  s.send("\r");
  await s.until(`the prompt after typing "${line}"`, () => s.count(prompts(session)) > before[0]! || s.count(/\n> /g) > before[1]!, LONG);
}

/** The learner's turn at BLOCK: read it off the screen, type it, give the shell back. */
async function typeCommand(s: Screen, block: Block): Promise<void> {
  await s.waitFor("? What now?", LONG);
  const shown = commandOnScreen(visibleScreen(s.output, COLS, ROWS));
  expect(shown.length, `the command at line ${block.line} is on the screen`).toBeGreaterThan(0);
  const prompted = s.count(prompts(block.session));
  s.choose(TYPE_IT);
  await s.until(`the ${block.session} prompt`, () => s.count(prompts(block.session)) > prompted, LONG);
  if (block.enter) {
    // The command opens a shell of its own: the learner looks around in it, leaves it, then gives rootlab's back.
    const at = s.text.length;
    for (const key of shown.join("\n")) s.send(key);
    s.send("\r");
    await s.until("the shell the learner opened", () => /\n[^\n]*[#$] $/.test(s.text.slice(at)), LONG);
    await typeLine(s, block.session, "exit");
    s.send("check\r");
    await s.waitFor(`rootlab opened session "${block.enter}"`, LONG);
    return;
  }
  for (const line of shown) await typeLine(s, block.session, line);
  s.send("check\r");
  await s.waitFor("Back in rootlab.", LONG);
}

/**
 * Does STEP by typing every command; reads its explanation through, handing CHECK the visible screen at each page;
 * then goes on to the next step (unless THEN is "stay": "When you are ready" is left open).
 */
export async function typeStep(s: Screen, lab: Lab, step: Step, check?: ExplanationCheck, then: "go on" | "stay" = "go on"): Promise<void> {
  await s.waitFor(`Step ${step.index + 1}/${lab.steps.length}: ${step.title}`, LONG);
  const commands = step.blocks.filter((b) => b.role === "command");
  if (commands.length === 0) {
    await s.waitFor("? When you have read it:", LONG);
    s.send("\r");
    return;
  }
  for (const block of commands) await typeCommand(s, block);
  await s.waitFor(`Step ${step.index + 1} done: ${step.title}`, LONG);
  const screens = await s.explanationPages(LONG);
  try {
    check?.(screens);
  } catch (err) {
    (err as Error).message += `\n(step ${step.index + 1})`;
    throw err;
  }
  if (then === "go on") s.send("\r");
}

/**
 * Lines rootlab itself wrote wider than the terminal (a line the terminal would break, often in a word): the whole
 * session replayed on a wide terminal, so nothing wraps, without the learner's own turns in the typed shell (what
 * a shell echoes and prints is the terminal's to wrap).
 */
export function linesTooWide(raw: string): string[] {
  // Cut out of the bytes (a line editor's redraws for an 80-column terminal would garble them on a wide one).
  const wide = renderTranscript(raw.replace(/\(rootlab [\s\S]*?Back in rootlab\./g, "(a typed turn)"), 240)
    // The "what changed on the machine" list is being reworked (its length and wrapping) apart from this test.
    .replace(/^what changed on the machine:\n( {2}.*\n)*/gm, "")
    .split("\n");
  return wide.filter((line) => displayWidth(line.replace(/\s+$/, "")) > COLS);
}

/** Types LINE and Enter into the host session's shell, then waits for its next prompt. */
export async function typedLine(s: Screen, line: string): Promise<void> {
  const before = s.count(prompts("host"));
  s.send(`${line}\r`);
  await s.until(`the prompt after "${line}"`, () => s.count(prompts("host")) > before, 60_000);
}

/** The chroot lab opened at step 1, at its first "What now?" (command 1). */
export async function atChrootStep1(open: (args: string[]) => Screen): Promise<Screen> {
  const s = open(["start", "chroot", "--from", "1"]);
  await s.waitFor("Step 1/8", 120_000);
  await s.waitFor("? What now?");
  return s;
}

/**
 * The chroot lab from step 1, as the typed-shell tests start it: command 1 run for the learner ("Run it for me"),
 * then "I'll type it myself" at command 2 (ldd, meant to fail); resolves at the host shell's prompt.
 */
export async function atChrootLddPrompt(open: (args: string[]) => Screen): Promise<Screen> {
  const s = await atChrootStep1(open);
  s.choose(0); // Run it for me
  await s.waitFor("Command 2/2");
  await s.waitFor("? What now?");
  s.choose(1); // I'll type it myself
  await s.waitFor("(rootlab host) ~lab # ");
  return s;
}
