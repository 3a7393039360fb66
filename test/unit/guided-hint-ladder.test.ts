// The hint ladder as the learner meets it: it follows the command the learner is at, and only hints the learner
// asked for count as used (a hint shown after a failure moves the ladder on, uncounted).
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Block, Step } from "../../src/format/types.js";
import { loadLab, labsDir } from "../../src/format/load.js";
import { HintLadder, hintSubjects } from "../../src/guided/hint-ladder.js";
import { plainStyle } from "../../src/term/style.js";

const view = { style: plainStyle(true), width: 80 };

function command(code: string): Block {
  return { role: "command", lang: "sh", code, line: 1, codeLine: 2, session: "host", exit: 0, timeoutMs: 60_000, background: false };
}
function step(commands: string[], hints: string[]): Pick<Step, "hints" | "blocks"> {
  return { blocks: commands.map(command), hints: hints.map((markdown, i) => ({ markdown, line: 100 + i })) };
}

describe("hintSubjects: which commands a hint quotes", () => {
  it.each<[string, string[], string[], number[][]]>([
    ["a nudge quotes no command", ["ip link add a type dummy"], ["Think about which namespace it is in."], [[]]],
    ["inline code that is part of command 1", ["cp /usr/bin/busybox \"$R/bin/busybox\"", "ldd \"$R/bin/busybox\""], ["Copy it: `cp /usr/bin/busybox \"$R/bin/busybox\"`"], [[0]]],
    ["quotes of two commands", ["ip addr add 10.1.1.1/24 dev a", "ip link set a up", "ping -c1 10.1.1.2"], ["`ip addr add 10.1.1.1/24 dev a` and `ip link set a up`"], [[0, 1]]],
    ["code too short to name a command (`ip`) quotes none", ["ip link show", "ip addr show"], ["Use `ip`."], [[]]],
    ["whitespace and line continuations do not matter", ["mkdir -p \"$R/bin\" \\\n    \"$R/etc\""], ["```sh\nmkdir -p \"$R/bin\"   \"$R/etc\"\n```"], [[0]]],
  ])("%s", (_name, commands, hints, subjects) => {
    expect(hintSubjects(step(commands, hints) as Step)).toEqual(subjects);
  });

  it("chroot lab: step 1's ladder is a nudge, a rung about file and ldd (both commands), the cp of command 1; step 6's last rung is about its mount", async () => {
    const loaded = await loadLab(join(labsDir(), "01-chroot.md"));
    if (!loaded.ok) throw new Error("chroot lab does not load");
    const steps = loaded.lab.steps;
    expect(hintSubjects(steps[0]!)).toEqual([[], [0, 1], [0]]);
    expect(hintSubjects(steps[5]!)).toEqual([[], [], [0]]);
  });
});

describe("HintLadder", () => {
  // Command 1 has its own hint; the nudge and the last hint are about the step (or command 2).
  const s = step(["cp /usr/bin/busybox /r/bin/busybox", "ldd /r/bin/busybox"], ["A nudge.", "Copy: `cp /usr/bin/busybox /r/bin/busybox`", "Then `ldd /r/bin/busybox` says it is static."]);

  it.each<[string, number | undefined, string[]]>([
    // where the learner asks, then what each "Show a hint" shows in turn
    ["at command 1: the nudge and its own hint, not the one about command 2", 0, ["Hint 1/3", "Hint 2/3", "No hint for this command"]],
    ["at command 2: the nudge and its own hint (hint 2, only about command 1, is left out)", 1, ["Hint 1/3", "Hint 3/3", "No hint for this command"]],
    ["in the checks: the whole ladder", undefined, ["Hint 1/3", "Hint 2/3", "Hint 3/3", "last hint"]],
  ])("%s", (_name, at, shown) => {
    const ladder = new HintLadder(s);
    for (const expected of shown) expect(ladder.next(view, "asked", at)).toContain(expected);
  });

  it("a hint only about earlier commands comes back when the checks fail", () => {
    const ladder = new HintLadder(step(["cp a-long-file /r/bin/busybox", "ldd /r/bin/busybox"], ["`cp a-long-file /r/bin/busybox`"]));
    expect(ladder.label(1)).toBe("none for this command");
    expect(ladder.next(view, "asked", 1)).toMatch(/No hint for this command/);
    expect(ladder.asked).toBe(0);
    expect(ladder.label()).toBe("1 left");
    expect(ladder.next(view, "shown")).toContain("Hint 1/1");
    expect(ladder.label()).toBe("no more");
  });

  // New-user trial: "Show a hint (3 left)" at one command became "(1 left)" at the next, and the hint then shown
  // was about another command. A command's count is its own, and drops only by the hints the learner saw there.
  it.each<[string, string, number, number[], string[]]>([
    // lab, step (0-based), command walk: per command, the label before asking, then each hint shown
    ["user-namespaces step 1: all three rungs are about its setup command", "12-user-namespaces.md", 0, [0, 1], ["3 for this command", "none for this command"]],
    ["capabilities step 2: unshare has the nudge and the rung about it; mount the rung about it too", "11-capabilities.md", 1, [0, 1, 2], ["2 for this command", "3 for this command", "1 for this command"]],
  ])("labs: %s", async (_name, file, index, walk, labels) => {
    const loaded = await loadLab(join(labsDir(), file));
    if (!loaded.ok) throw new Error(`${file} does not load`);
    const st = loaded.lab.steps[index]!;
    expect(walk.map((at) => new HintLadder(st).label(at))).toEqual(labels);
  });

  it("at a command, the count drops only by the hints shown there, and each hint shown is about it or the step", () => {
    const subjects = [[], [1], [0, 1]];
    const three = step(["unshare --fork --pid --mount bash", "mount --make-rprivate /", "grep Cap /proc/self/status"], ["A nudge.", "`mount --make-rprivate /` first.", "`unshare --fork --pid --mount bash`, then `mount --make-rprivate /`."]);
    expect(hintSubjects(three as Step)).toEqual(subjects);
    for (const at of [0, 1, 2]) {
      const ladder = new HintLadder(three);
      let left = ladder.left(at);
      for (;;) {
        const text = ladder.next(view, "asked", at);
        const shown = /Hint (\d)\/3/.exec(text);
        if (!shown) break;
        const about = subjects[Number(shown[1]) - 1]!;
        expect(about.length === 0 || about.includes(at)).toBe(true);
        expect(ladder.left(at)).toBe(left - 1);
        left -= 1;
      }
      expect(left).toBe(0);
    }
  });

  it("only hints the learner asked for count as used; shown ones still move the ladder on", () => {
    const asked: number[] = [];
    const ladder = new HintLadder(s, [], () => asked.push(1));
    expect(ladder.next(view, "shown")).toContain("Hint 1/3");
    expect(ladder.next(view, "asked")).toContain("Hint 2/3");
    expect([ladder.asked, asked.length, ladder.seen]).toEqual([1, 1, [0, 1]]);
  });

  it.each<[string, number[], string, number]>([
    // hints seen in an earlier unfinished attempt → which comes next; "left" in the checks
    ["a fresh step starts at hint 1", [], "Hint 1/3", 3],
    ["a resumed step goes on after the hints seen", [0], "Hint 2/3", 2],
    ["seen out of order (hint 3 at command 2): hint 2 is next", [0, 2], "Hint 2/3", 1],
    ["numbers beyond the ladder (hints removed from the lab) are ignored", [0, 7, -1], "Hint 2/3", 2],
  ])("resume: %s", (_name, seen, next, left) => {
    const ladder = new HintLadder(s, seen);
    expect(ladder.left()).toBe(left);
    expect(ladder.next(view, "asked")).toContain(next);
    expect(ladder.asked).toBe(1);
  });

  it("a step without hints says so", () => {
    const ladder = new HintLadder(step(["true"], []));
    expect(ladder.label(0)).toBe("this step has none");
    expect(ladder.next(view, "asked", 0)).toBe("This step has no hints.");
  });
});
