// What guided mode says after cleanup: "removed" only for what rootlab removed, a command for what it could not
// remove, and others' objects mentioned without blame.
import { describe, expect, it } from "vitest";
import { cleanupReport } from "../../src/guided/run-messages.js";
import { plainStyle } from "../../src/term/style.js";
import type { LabSummary, Leak } from "../../src/exec/types.js";

const view = { style: plainStyle(true), width: 80 };
const RED: Leak = { kind: "netns", name: "rl-red" };
const LINK: Leak = { kind: "link", name: "veth-host" };
const OTHER: Leak = { kind: "netns", name: "nutest" };

function summary(over: Partial<LabSummary>): LabSummary {
  return { id: "x", title: "X", file: "/labs/x.md", outcome: { status: "pass" }, durationMs: 1, steps: [], leaks: [], ...over };
}

describe("cleanupReport", () => {
  it.each<[string, Partial<LabSummary>, RegExp[], RegExp[]]>([
    ["clean", {}, [/Cleaned up: nothing was left behind\./], [/removed/, /Not touched/]],
    ["the lab's leak, removed", { leaks: [RED] }, [/which rootlab removed: netns rl-red\. Please tell the lab's author\./], [/nothing was left/, /could not/]],
    [
      "the lab's leak, not removable",
      { leaks: [RED, LINK], left: [LINK] },
      [/removed: netns rl-red\./, /could not remove: link veth-host\. Remove them with:\n {2}ip link del veth-host/],
      [/removed: [^.]*veth-host/, /nothing was left/],
    ],
    [
      "someone else's namespace: mentioned, not blamed, not said removed",
      { others: [OTHER] },
      [/Cleaned up: nothing was left behind\./, /Not touched: netns nutest appeared while the lab ran, but not from it\./],
      [/removed/, /author/],
    ],
  ])("%s", (_name, over, present, absent) => {
    const text = cleanupReport(summary(over), view).replace(/\n(?! )/g, " ");
    for (const p of present) expect(text).toMatch(p);
    for (const a of absent) expect(text).not.toMatch(a);
  });
});
