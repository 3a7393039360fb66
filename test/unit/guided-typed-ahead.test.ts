import { describe, expect, it } from "vitest";
import type { Block } from "../../src/format/types.js";
import { typedAhead } from "../../src/guided/typed-ahead.js";
import { withoutTypeaheadEcho } from "../../src/guided/typeahead-echo.js";
import { typedOutcome } from "../../src/guided/typed-status.js";

const block = (code: string, more: Partial<Block> = {}): Block => ({ role: "command", lang: "sh", code, line: 10, codeLine: 11, session: "host", exit: 0, timeoutMs: 1000, background: false, ...more });
const P = "(rootlab host) ~lab # ";

describe("a later command of the step typed in the same turn (typedAhead)", () => {
  const WC = block('chmod +x "$LAB_DIR/minirun"\nwc -l < "$LAB_DIR/minirun"');
  const RUN = block('"$LAB_DIR/minirun" "$LAB_DIR/web-image.tar" two 10.231.14.3\ncurl -sS http://10.231.14.3/');
  it.each<[string, Block, string[], boolean]>([
    ["every line typed (other quoting)", RUN, ['chmod +x "$LAB_DIR/minirun"', 'wc -l < "$LAB_DIR/minirun"', "$LAB_DIR/minirun $LAB_DIR/web-image.tar two 10.231.14.3", "curl -sS http://10.231.14.3/"], true],
    ["one of its lines missing", RUN, ["$LAB_DIR/minirun $LAB_DIR/web-image.tar two 10.231.14.3"], false],
    ["the same program, other words: looking around", RUN, ["$LAB_DIR/minirun $LAB_DIR/web-image.tar", "curl -sS http://10.231.14.3/"], false],
    ["two on one line", RUN, ['"$LAB_DIR/minirun" "$LAB_DIR/web-image.tar" two 10.231.14.3 && curl -sS http://10.231.14.3/'], true],
    ["another session", { ...RUN, session: "box" }, ["$LAB_DIR/minirun $LAB_DIR/web-image.tar two 10.231.14.3", "curl -sS http://10.231.14.3/"], false],
    ["a background block", { ...RUN, background: true }, ["$LAB_DIR/minirun $LAB_DIR/web-image.tar two 10.231.14.3", "curl -sS http://10.231.14.3/"], false],
  ])("%s", (_n, next, typed, want) => {
    expect(typedAhead([WC], next, typed, "host")).toBe(want);
  });
  it("a command typed once counts for the earlier block, not again for the next", () => {
    expect(typedAhead([block("cat x")], block("cat x"), ["cat x"], "host")).toBe(false);
    expect(typedAhead([block("cat x")], block("cat x"), ["cat x", "cat x"], "host")).toBe(true);
  });
});

describe("type-ahead: the terminal's echo of a line typed while a command ran (withoutTypeaheadEcho)", () => {
  it.each<[string, string, string, string]>([
    ["the echo amid the running command's output", `${P}cat gate\necho after\nreleased\n${P}echo after\nafter`, 'cat gate\recho after\r', `${P}cat gate\nreleased\n${P}echo after\nafter`],
    ["two lines typed ahead", `${P}sleep 2\nls\npwd\n${P}ls\nf\n${P}pwd\n/x`, "sleep 2\rls\rpwd\r", `${P}sleep 2\n${P}ls\nf\n${P}pwd\n/x`],
    ["output that only looks like a typed line is kept (never typed)", `${P}cat f\nls\n${P}ls\nf`, "cat f\r", `${P}cat f\nls\n${P}ls\nf`],
    ["a line typed but not run at a later prompt is output", `${P}echo ls\nls\n${P}pwd\n/x`, "echo ls\rpwd\r", `${P}echo ls\nls\n${P}pwd\n/x`],
  ])("%s", (_n, shown, keys, want) => {
    expect(withoutTypeaheadEcho(shown, keys)).toBe(want);
  });
});

describe("typedOutcome: a block's expected output is of all its commands", () => {
  const GATE = block('cat "$LAB_DIR/gate"\necho "after the gate"');
  it("what every command of the block printed, in the order run", () => {
    const shown = `${P}cat "$LAB_DIR/gate"\nreleased\n${P}ls\nx\n${P}echo "after the gate"\nafter the gate`;
    expect(typedOutcome(GATE, ['cat "$LAB_DIR/gate"', "ls", 'echo "after the gate"'], shown, 0).output).toBe("released\nafter the gate");
  });
  it("a command of the block not run in this turn: no output to compare", () => {
    const shown = `${P}echo "after the gate"\nafter the gate`;
    expect(typedOutcome(GATE, ['echo "after the gate"'], shown, 0)).toEqual({ ran: 'echo "after the gate"', status: 0 });
  });
});
