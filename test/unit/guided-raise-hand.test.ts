// What "Raise hand" sends of a failed check: what the learner saw (the failing line and the values it compared),
// as plain text, laid out to fit the echo's indent, bounded in size.
import { describe, expect, it } from "vitest";
import { createStyle, plainStyle } from "../../src/term/style.js";
import type { Block } from "../../src/format/types.js";
import type { BlockResult } from "../../src/exec/types.js";
import { handDetail, HAND_DETAIL_CHARS, HAND_VALUE_CHARS, RAISE_HAND } from "../../src/guided/raise-hand.js";
import { displayWidth } from "../../src/term/width.js";

const LINE = 'test ! -e "$BUSYBOX_ROOTFS/.old"';
const block: Block = { role: "verify", lang: "sh", code: `# the old root is gone\n${LINE}`, line: 40, codeLine: 41, session: "host", exit: 0, timeoutMs: 60_000, background: false, name: "the host's tree is detached" };
const result: BlockResult = { kind: "ok", exitCode: 1, stdout: "", stderr: "", durationMs: 5, failedLine: 42 };
const failed = { block, result, outcome: { status: "fail" as const, reason: "x" }, attempts: 1 };
const view = { style: plainStyle(true), width: 80 };

describe("handDetail", () => {
  const cases: { name: string; values?: string[]; line?: string; has: string[]; hasNot?: string[] }[] = [
    {
      name: "the failing line and its value, as shown",
      line: LINE,
      values: ['value: "/var/tmp/rootlab/unshare-pivot-root-x1/rootfs/.old"   (tested with -e)'],
      has: ["this condition did not hold (line 42 of the lab):", LINE, 'value: "/var/tmp/rootlab/unshare-pivot-root-x1/rootfs/.old"'],
      hasNot: ["expected: the check succeeds"],
    },
    { name: "both sides of a comparison", line: '[ "$(cat "$LAB_DIR/note")" = hello ]', values: ['left:  "hallo"', 'right: "hello"   (compared with =)'], has: ['left:  "hallo"', 'right: "hello"   (compared with =)'] },
    { name: "without a known line: expected vs actual", has: ["expected: the check succeeds (exit status 0)", "actual:   exit status 1 (general failure)"] },
  ];
  for (const c of cases)
    it(c.name, () => {
      const text = handDetail(failed, view, { line: c.line, values: c.values });
      const flat = text.replace(/\s*\n\s*/g, " ");
      for (const s of c.has) expect(flat).toContain(s);
      for (const s of c.hasNot ?? []) expect(flat).not.toContain(s);
    });

  it("is plain text laid out to fit the echo's two-space indent", () => {
    const colour = { style: createStyle({ isTTY: true }, { FORCE_COLOR: "1", LANG: "C.UTF-8" }), width: 80 };
    const text = handDetail(failed, colour, { line: LINE, values: [`left:  "${"the host's tree is still attached under .old ".repeat(3)}"`, 'right: "detached"   (compared with =)'] });
    expect(text).not.toMatch(/\x1b/);
    for (const l of text.split("\n")) expect(displayWidth(`  ${l}`), l).toBeLessThanOrEqual(80);
  });

  it("is bounded: a huge compared value is cut, and so is the whole", () => {
    const huge = `left:  "${"x".repeat(10_000)}"`;
    const text = handDetail(failed, view, { line: LINE, values: [huge, huge, huge, huge, huge, huge, huge, huge] });
    expect(text.length).toBeLessThanOrEqual(HAND_DETAIL_CHARS);
    expect(text).toContain("…");
    const one = handDetail(failed, view, { line: LINE, values: [huge] });
    expect(one.replace(/\s/g, "").length).toBeLessThan(HAND_VALUE_CHARS + 200);
  });
});

describe("the Raise hand menu item", () => {
  it("fits 80 columns with its hint (enquirer would continue it at column 0)", () => {
    expect(displayWidth(`  ❯ ${RAISE_HAND.label} (${RAISE_HAND.hint})`)).toBeLessThanOrEqual(80);
  });
});
