// Typed turns as a tester met them typing labs/14 at 80×30, each on a real PTY with the real CLI and a fixture lab
// (test/fixtures/guided/rlt47: files in $LAB_DIR, a UTS namespace):
// - the next command typed while the one before still runs (type-ahead): the terminal's echo of it is not that
//   command's output in the recap, and the block's expected output is compared with what all its commands printed
//   (no false "printed nothing where the step expects");
// - the terminal resized during a turn: the shell gets the new size, and what rootlab writes after it fits it;
// - the step's next command typed in the same turn: not offered again;
// - a here-document typed: its body's lines are not commands run (a skipped line is still noted);
// - a shell a block started (`unshare … bash`): its line editor gets the learner's TERM (no sideways scrolling).
import { expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { stripAnsi } from "../../src/term/width.js";
import { KEY, learnerWithOwnState, prompts, type Screen } from "./guided-driver.js";

const learner = learnerWithOwnState("rlt47-guided-", 80, 30);
const LAB = join(ROOT, "test/fixtures/guided/rlt47/typed-turns.md");
const CMD = { run: 0, type: 1 };
const HOST = "(rootlab host) ~lab # ";

/** TEXT as a pattern that allows it to be wrapped at any space (rootlab's notes wrap at words). */
function wrapped(text: string): RegExp {
  return new RegExp(text.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("\\s+"));
}

/** The run's LAB_DIR (one rlt47 run at a time: the run lock). */
function labDir(): string {
  const name = readdirSync("/var/tmp/rootlab").find((n) => n.startsWith("rlt47-typed-"));
  if (!name) throw new Error("the lab's folder is not in /var/tmp/rootlab");
  return join("/var/tmp/rootlab", name);
}

function running(pattern: string): boolean {
  try {
    execFileSync("pgrep", ["-f", pattern], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Types TEXT and Enter in SESSION's shell, then waits for its next prompt. */
async function line(s: Screen, session: string, text: string): Promise<void> {
  const before = s.count(prompts(session));
  s.send(`${text}\r`);
  await s.until(`the prompt after ${text}`, () => s.count(prompts(session)) > before, 60_000);
}

/**
 * Starts the lab at step FROM (whose first question shows FIRST), lets rootlab run the step's first RUN commands,
 * then takes the turn to type, and waits for the shell's PROMPT.
 */
async function typeAt(from: number, { run = 0, first = "Command 1/2", prompt = HOST } = {}): Promise<Screen> {
  const s = learner.open(["start", LAB, "--from", String(from)]);
  await s.waitFor(first);
  await s.waitFor("? What now?");
  for (let i = 1; i <= run; i++) {
    s.choose(CMD.run);
    await s.waitFor(`Command ${i + 1}/2`);
    await s.waitFor("? What now?");
  }
  s.choose(CMD.type);
  await s.waitFor(prompt);
  return s;
}

/** Ends the run at its next question and waits for the cleanup. */
async function quit(s: Screen): Promise<void> {
  s.send(KEY.ctrlD);
  await s.waitFor("Cleaned up: nothing was left behind", 120_000);
}

describeAsRoot("typed turns: type-ahead, a resize, commands typed ahead, here-documents, TERM (80×30)", () => {
  it("a command typed while the one before runs: not output in the recap, no false note about the expected output", async () => {
    const s = await typeAt(4, { run: 1 });
    const before = s.count(prompts("host"));
    s.send('cat "$LAB_DIR/gate"\r');
    await s.until("cat waiting at the gate", () => running("^cat /var/tmp/rootlab/rlt47-typed-"));
    s.send('echo "after the gate"\r'); // typed ahead: the terminal echoes it now, the shell runs it after cat
    await s.waitFor('echo "after the gate"');
    await writeFile(join(labDir(), "gate"), "released\n");
    await s.until("both prompts", () => s.count(prompts("host")) >= before + 2, 60_000);
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor("Step 4 done", 60_000);
    // The explanation is long: its first page shows what the commands printed again.
    await s.waitFor("? The explanation goes on", 60_000);
    expect(s.text).not.toMatch(/printed nothing|Your command/);
    const back = s.text.lastIndexOf("Back in rootlab.");
    const recap = s.text.slice(s.text.indexOf("What your commands printed", back), s.text.indexOf("`cat` waited", back));
    expect(recap, s.text.slice(back)).toMatch(/^What your commands printed/);
    expect(recap).toMatch(/\$ cat "\$LAB_DIR\/gate"\s+released/);
    expect(recap).not.toMatch(/^ *echo "after the gate"/m); // the echo of the type-ahead, as output
    await quit(s);
  }, 300_000);

  it("a resize during a turn: the shell gets the new size, and rootlab's text after the turn fits it", async () => {
    const s = await typeAt(1);
    s.resize(60, 24);
    await line(s, "host", "stty size");
    expect(s.text).toMatch(/stty size\n24 60\n/);
    await line(s, "host", 'echo first > "$LAB_DIR/first"');
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor("Command 2/2");
    await s.waitFor("? What now?");
    const after = stripAnsi(s.output.slice(s.output.lastIndexOf("Back in rootlab."))).split(/\r?\n/);
    expect(after.join("\n")).toMatch(/Then the second, and read it back/);
    const wide = after.slice(0, after.findIndex((l) => l.startsWith("? What now?"))).filter((l) => l.replace(/\r/g, "").length > 60);
    expect(wide).toEqual([]);
    await quit(s);
  }, 300_000);

  it("the step's next command typed in the same turn: said, not offered again", async () => {
    const s = await typeAt(1);
    await line(s, "host", 'echo first > "$LAB_DIR/first"');
    await line(s, "host", 'echo second > "$LAB_DIR/second"');
    await line(s, "host", 'cat "$LAB_DIR/second"');
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    const between = await s.waitFor(/[^]*?Step 1 done/, 60_000);
    expect(between).toMatch(/Command 2\/2/);
    expect(between).toMatch(wrapped("You ran this already in your turn in the shell, so rootlab does not offer it again and checks your work."));
    expect(between).not.toMatch(/What now\?/);
    await s.waitFor(/\? (The explanation goes on|When you are ready):/);
    await quit(s);
  }, 300_000);

  it("a here-document typed, a line left out: its body is not taken for commands run", async () => {
    const s = await typeAt(2, { first: "Step 2/4" });
    for (const body of [`cat > "$LAB_DIR/greet.sh" <<'EOF'`, "echo hello from greet", 'echo "$LAB_DIR" > /dev/null']) {
      const more = s.count(/\n> /g);
      s.send(`${body}\r`);
      await s.until(`the continuation prompt after ${body}`, () => s.count(/\n> /g) > more);
    }
    await line(s, "host", "EOF");
    await line(s, "host", '. "$LAB_DIR/greet.sh"');
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor(wrapped('! rootlab did not see you run `echo "$LAB_DIR" > "$LAB_DIR/where"`.'));
    await s.waitFor("✗ where the lab is, noted", 60_000);
    await s.waitFor("? What now?");
    await quit(s);
  }, 300_000);

  it("a shell a block started: its line editor and programs get the learner's TERM", async () => {
    const s = await typeAt(3, { run: 1, prompt: "(rootlab inner) " });
    const at = s.output.length;
    await line(s, "inner", "echo $TERM");
    await line(s, "inner", "tput clear >/dev/null && echo a terminal that clears");
    const long = `echo ${"x".repeat(70)} ${"y".repeat(30)}`;
    await line(s, "inner", long);
    await line(s, "inner", "hostname rlt47-inner");
    s.send("check\r");
    await s.waitFor("Step 3 done", 60_000);
    const turn = s.output.slice(at, s.output.indexOf("Back in rootlab.", at));
    expect(stripAnsi(turn)).toMatch(/echo \$TERM\r*\nxterm\r*\n/);
    expect(turn).toMatch(/\na terminal that clears/);
    // A line editor set up for TERM=dumb scrolls a long line sideways: "<" and the line's end, never its start.
    expect(turn).not.toMatch(/\r<x/);
    expect(stripAnsi(turn).replace(/[\r\n]/g, "")).toContain(long);
    await s.waitFor(/\? (The explanation goes on|When you are ready):/);
    await quit(s);
  }, 300_000);
});
