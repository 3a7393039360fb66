// explain on real namespaces that no process is in — `ip netns add`, `unshare --net=FILE` on the host and inside
// another mount namespace. Before, they showed as "/…/ns mounted (nsfs)" or not at all. (A namespace held only by
// an open descriptor is covered by test/unit/explain-pins.test.ts.)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { explained, stepTexts } from "../helpers/explain-report.js";
import { isRoot, ROOT_REASON } from "../helpers/root.js";

const PINS = join(ROOT, "test/fixtures/labs/e2e/pins.md");
const skipReason = !isRoot ? ROOT_REASON : undefined;

function suite(name: string, fn: () => void, reason = skipReason): void {
  if (reason) describe.skip(`${name} [skipped: ${reason}]`, fn);
  else describe(name, fn);
}

/** Nothing of the fixtures is left on the host: no named netns, no nsfs mount, no process of theirs. */
function expectNothingLeft(prefix: string): void {
  expect(existsSync(`/run/netns/${prefix}-named`)).toBe(false);
  expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(prefix);
}

suite("explain: namespaces kept alive with no process in them", () => {
  it("says where each is kept and what is in it, then that it is gone; nothing is left", async () => {
    const lab = await explained(PINS);
    expect(lab.outcome.status, lab.outcome.reason).toBe("pass");

    const made = stepTexts(lab, "a-named-namespace");
    expect(made).toContain("+ netns rlt5-named");
    expect(made).toContain("+ net namespace at $LAB_DIR/rlt5-file (kept by a bind mount)");
    expect(made.filter((t) => /^\+ veth rlt5-[ab] ⇄ rlt5-[ab] \(net namespace at \$LAB_DIR\/rlt5-file\)$/.test(t)), made.join("\n")).toHaveLength(1);
    expect(made).toContain("+ 10.231.205.1/24 on lo (net namespace at $LAB_DIR/rlt5-file)");
    // The nsfs bind mounts are what the pin lines say, not mounts of their own.
    expect(made.filter((t) => t.includes("nsfs")), made.join("\n")).toEqual([]);

    expect(stepTexts(lab, "one-kept-by-a-file-inside")).toContain("+ net namespace at $LAB_DIR/rlt5-inner in box's mount namespace (kept by a bind mount)");

    const removed = stepTexts(lab, "remove-them");
    expect(removed).toEqual(
      expect.arrayContaining([
        "- net namespace at $LAB_DIR/rlt5-inner in box's mount namespace",
        "- netns rlt5-named",
        "- net namespace at $LAB_DIR/rlt5-file",
      ]),
    );
    expect(removed.filter((t) => /^- veth rlt5-[ab] ⇄ rlt5-[ab] \(net namespace at \$LAB_DIR\/rlt5-file\)$/.test(t)), removed.join("\n")).toHaveLength(1);
    expect(lab.changesAfterCleanup).toEqual([]);
    expectNothingLeft("rlt5");
  });
});
