// What guided mode says after cleanup: "removed" only for what rootlab removed, a command for what it could not
// remove, and others' objects mentioned without blame.
import { describe, expect, it } from "vitest";
import { cleanupReport, learnersOwn } from "../../src/guided/run-messages.js";
import { plainStyle } from "../../src/term/style.js";
import type { LabSummary, Leak } from "../../src/exec/types.js";

const view = { style: plainStyle(true), width: 80 };
const RED: Leak = { kind: "netns", name: "rl-red" };
const LINK: Leak = { kind: "link", name: "veth-host" };
const OTHER: Leak = { kind: "netns", name: "nutest" };
const SLEEP: Leak = { kind: "process", name: "2643 sleep" };
const leaked = (...leaks: Leak[]): Partial<LabSummary> => ({ leaks, outcome: { status: "fail", reason: `leaked: ${leaks.map((l) => `${l.kind} ${l.name}`).join(", ")}` } });

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

  // A process left running in a run where the learner typed (their `sleep 300 &`) is not the lab's fault.
  it.each<[string, Partial<LabSummary>, boolean, boolean]>([
    ["a process, the learner typed", leaked(SLEEP), true, true],
    ["a process, nobody typed", leaked(SLEEP), false, false],
    ["a process and a namespace, the learner typed", leaked(SLEEP, RED), true, false],
    ["a process rootlab could not stop", { ...leaked(SLEEP), left: [SLEEP] }, true, false],
    ["a failed step as well", { leaks: [SLEEP], outcome: { status: "fail", reason: 'step 2 "x": exited with status 1' } }, true, false],
  ])("%s: the learner's own → %s", (_name, over, typed, own) => {
    expect(learnersOwn(summary(over), typed)).toBe(own);
    const text = cleanupReport(summary(over), view, typed).replace(/\n(?! )/g, " ");
    if (own) {
      expect(text).toMatch(/stopped by rootlab: process 2643 sleep — started from a shell you typed in/);
      expect(text).not.toMatch(/author/);
    } else expect(text).toMatch(/Please tell the lab's author|could not remove/);
  });
});
