// After a failed command: the step's next hint (of the failed command and those before it) and "Show a hint" in the
// menu while hints are left. netns-veth step 3 is the trial's case: its pings (command 2) failed because command 1
// left eth0 down, and every hint of the step quotes command 1 — before, no hint came and the menu had none.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadLab, labsDir } from "../../src/format/load.js";
import { HintLadder } from "../../src/guided/hint-ladder.js";
import { commandFailureChoices, hintAfterCommandFailure } from "../../src/guided/command-failure.js";
import { plainStyle } from "../../src/term/style.js";

const view = { style: plainStyle(true), width: 80 };
const SKIP = { value: "skip" as const, label: "Skip this step" };
const QUIT = { value: "quit" as const, label: "Quit" };

describe("after a failed command", () => {
  it("netns-veth step 3, command 2 failed: hint 1 shows by itself, then the menu offers the other two", async () => {
    const loaded = await loadLab(join(labsDir(), "03-netns-veth.md"));
    if (!loaded.ok) throw new Error("netns-veth does not load");
    const ladder = new HintLadder(loaded.lab.steps[2]!);
    expect(ladder.left(1)).toBe(0); // before it failed, command 2 has no hint of its own
    expect(hintAfterCommandFailure(ladder, view, 1)).toContain("Hint 1/3");
    expect(ladder.asked).toBe(0);
    const menu = commandFailureChoices(ladder, 1, SKIP, QUIT);
    expect(menu.map((c) => c.label)).toEqual(["Try again", "I'll type it myself", "Show a hint", "Skip this step", "Quit"]);
    expect(menu.find((c) => c.value === "hint")?.hint).toBe("2 for this command");
    // Back at command 2 to try again: the same count, not the ladder of a command that never failed.
    expect(ladder.label(1)).toBe("2 for this command");
  });

  it("a hint only about a later command is not shown after an earlier one fails", () => {
    const ladder = new HintLadder({
      blocks: ["cp /usr/bin/busybox /r/bin/busybox", "ldd /r/bin/busybox"].map((code) => ({ role: "command", lang: "sh", code, line: 1, codeLine: 2, session: "host", exit: 0, timeoutMs: 60_000, background: false })),
      hints: [{ markdown: "Then `ldd /r/bin/busybox` says it is static.", line: 9 }],
    });
    expect(hintAfterCommandFailure(ladder, view, 0)).toBeUndefined();
    expect(commandFailureChoices(ladder, 0, SKIP, QUIT).map((c) => c.value)).not.toContain("hint");
  });

  it("no hints left: no hint and no menu entry", () => {
    const ladder = new HintLadder({ hints: [], blocks: [] });
    expect(hintAfterCommandFailure(ladder, view, 0)).toBeUndefined();
    expect(commandFailureChoices(ladder, 0, SKIP, QUIT).map((c) => c.value)).toEqual(["retry", "type", "skip", "quit"]);
  });
});
