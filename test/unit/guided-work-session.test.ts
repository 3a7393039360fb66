// Which shell "I'll type it myself" offers (src/guided/work-session.ts) and which sessions "Try the step again" ends
// (src/guided/attempt.ts): table-driven.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import type { Step } from "../../src/format/types.js";
import { preferredShell, shellHint, stepSessions, workSession, type FailedWork } from "../../src/guided/work-session.js";
import { alreadyLeft, sessionsToEnd } from "../../src/guided/attempt.js";

/** A one-step lab of command blocks, each given as its fence's attributes ("" = host, "session=box enter=s" …). */
function step(attrs: string[], extra = ""): Step {
  const blocks = attrs.map((a, i) => `\`\`\`sh${a ? ` ${a}` : ""}\ntrue ${i}\n\`\`\`\n`).join("\n");
  const src = `---\nformat: 1\nid: t\ntitle: T\n---\n\n# T\n\n## Step\n\n${blocks}\n${extra}`;
  const r = parseLab(src, "t.md");
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.lab.steps[0]!;
}

function labStep(file: string, title: string): Step {
  const r = parseLab(readFileSync(new URL(`../../labs/${file}`, import.meta.url), "utf8"), file);
  if (!r.ok) throw new Error(`${file} does not parse`);
  const found = r.lab.steps.find((x) => x.title.includes(title));
  if (!found) throw new Error(`${file} has no step "${title}"`);
  return found;
}

describe("workSession and stepSessions", () => {
  it.each([
    { attrs: [""], likely: "host", listed: [["host", [1], []]], why: "host only" },
    {
      attrs: ["session=box", "session=box", "session=box", "session=box", ""],
      likely: "box",
      listed: [["box", [1, 2, 3, 4], []], ["host", [5], []]],
      why: "work in the box, a look from the host last (the trial's unshare-pivot-root step 3)",
    },
    {
      attrs: ["", "enter=c3", "", "", "session=c3", "", "session=c3"],
      likely: "c3",
      listed: [["host", [1, 2, 3, 4, 6], []], ["c3", [5, 7], [2]]],
      why: "nspawn step 3: the command that opens c3 is typed on the host, so it ran there",
    },
    { attrs: ["session=box enter=jail", "session=jail"], likely: "jail", listed: [["box", [1], []], ["jail", [2], [1]]], why: "a shell opened from inside another" },
    { attrs: ["enter=m"], likely: "m", listed: [["host", [1], []], ["m", [], [1]]], why: "a shell opened and nothing typed in it yet" },
  ])("$why", ({ attrs, likely, listed }) => {
    const s = step(attrs);
    expect(workSession(s)).toBe(likely);
    expect(stepSessions(s).map((x) => [x.name, x.ran, x.opened])).toEqual(listed);
  });

  it("the first commands only, after a command failed", () => {
    const s = step(["", "enter=c3", "", "", "session=c3", "", "session=c3"]);
    expect(stepSessions(s, 4).map((x) => [x.name, x.ran, x.opened])).toEqual([["host", [1, 2, 3, 4], []], ["c3", [], [2]]]);
    expect(stepSessions(s, 1).map((x) => x.name)).toEqual(["host"]);
  });

  it.each([
    { shell: { name: "c3", ran: [5, 7], opened: [2] }, hint: "where commands 5 and 7 ran (command 2 opened it)" },
    { shell: { name: "host", ran: [1, 2, 3, 4, 6], opened: [] }, hint: "where commands 1, 2, 3, 4 and 6 ran" },
    { shell: { name: "m", ran: [], opened: [1] }, hint: "command 1 opened it" },
  ])("hint: $hint", ({ shell, hint }) => {
    expect(shellHint(shell)).toBe(hint);
  });

  it("the real labs: every multi-shell step is offered with its non-host shell under the cursor", () => {
    const dev = labStep("05-unshare-pivot-root.md", "/proc and a minimal /dev");
    expect(stepSessions(dev).length).toBeGreaterThan(1);
    expect(preferredShell(dev, stepSessions(dev).map((s) => s.name))).toBe("box");
  });
});

describe("preferredShell: the shell under the cursor", () => {
  const nspawn = step(["", "enter=c3", "", "", "session=c3", "", "session=c3"]);
  const names = ["host", "c3"];
  const cases: { failed?: FailedWork; names?: string[]; want: string; why: string }[] = [
    { failed: { check: { session: "host", line: "ping -c1 -W2 10.231.2.3 >/dev/null" } }, want: "host", why: "the host's ping failed (the nspawn trial): the host, not c3" },
    { failed: { check: { session: "host", line: 'nsenter -t "$ROOTLAB_SESSION_C3_PID" -n ping -c1 -W2 10.231.2.1 >/dev/null' } }, want: "c3", why: "a check line that reaches into c3 by its PID runs there" },
    { failed: { check: { session: "host", line: 'test -b "/proc/${ROOTLAB_SESSION_C3_PID}/root/dev/x"' } }, want: "c3", why: "…also through /proc/PID/root" },
    { failed: { check: { session: "host", line: 'echo "$ROOTLAB_SESSION_C3_PIDS"' } }, want: "host", why: "only the whole variable name counts" },
    { failed: { check: { session: "c3" } }, want: "c3", why: "a check in c3 without a failing line (it timed out): its own session" },
    { failed: { check: { session: "gone" } }, want: "c3", why: "a check's session that is not offered: the likeliest" },
    { failed: { command: { session: "host" } }, want: "host", why: "a failed command: its own session (capabilities step 3, command 2)" },
    { failed: { command: { session: "c3" } }, want: "c3", why: "a failed command in c3" },
    { want: "c3", why: "nothing failed (typing a challenge's solution): the likeliest" },
    { names: [], want: "c3", why: "no shell listed (no commands): the likeliest" },
  ];
  it.each(cases)("$why", ({ failed, names: offered, want }) => {
    expect(preferredShell(nspawn, offered ?? names, failed)).toBe(want);
  });

  it("the real nspawn step 3 and capabilities step 3", () => {
    const nspawn3 = parseLabSteps("02-nspawn.md")[2]!;
    expect(stepSessions(nspawn3).find((s) => s.name === "host")?.ran).toContain(2);
    expect(preferredShell(nspawn3, ["host", "c3"], { check: { session: "host", line: "ping -c1 -W2 10.231.2.3 >/dev/null" } })).toBe("host");
    const caps3 = parseLabSteps("11-capabilities.md")[2]!;
    const shells = stepSessions(caps3, 2).map((s) => s.name);
    expect(shells).toEqual(["box", "host"]);
    expect(preferredShell(caps3, shells, { command: { session: "host" } })).toBe("host");
  });
});

function parseLabSteps(file: string): Step[] {
  const r = parseLab(readFileSync(new URL(`../../labs/${file}`, import.meta.url), "utf8"), file);
  if (!r.ok) throw new Error(`${file} does not parse`);
  return r.lab.steps;
}

describe("sessionsToEnd: what Try the step again ends", () => {
  it.each([
    { attrs: ["enter=m", "session=m"], live: ["host", "m"], want: ["m"], why: "the shell the step opened (user-namespaces step 4)" },
    { attrs: ["enter=m", "session=m enter=s"], live: ["host", "m", "s"], want: ["s", "m"], why: "newest first" },
    { attrs: ["session=box enter=jail"], live: ["host", "box", "jail"], want: ["jail"], why: "not the shell an earlier step opened (capabilities step 4)" },
    { attrs: ["enter=m"], live: ["host"], want: [], why: "already gone: nothing to end" },
    { attrs: ["session=box"], live: ["host", "box"], want: [], why: "a step that opens nothing" },
  ])("$why", ({ attrs, live, want }) => {
    expect(sessionsToEnd(step(attrs), live)).toEqual(want);
  });

  it("a solution's and a setup's enter= count; a cleanup's does not", () => {
    const s = step(["session=box"], "```sh setup enter=a\nbash\n```\n\n```sh solution enter=b\nbash\n```\n");
    expect(sessionsToEnd(s, ["host", "a", "b", "box"])).toEqual(["b", "a"]);
  });

  it("a shell the step leaves (exit) before opening it again is left running: the new attempt's exit ends it", () => {
    const s = step([], "```sh session=box\nexit\n```\n\n```sh enter=box\nunshare --uts bash\n```\n\n```sh enter=m\nbash\n```\n");
    expect(sessionsToEnd(s, ["host", "box", "m"])).toEqual(["m"]);
  });
});

describe("alreadyLeft: an exit into a shell that has ended is not run", () => {
  const block = (code: string, session = "box") => step([], `\`\`\`sh session=${session}\n${code}\n\`\`\`\n`).blocks[0]!;
  it.each([
    { code: "exit", session: "box", alive: false, want: true, why: "exit, the shell gone" },
    { code: "exit", session: "box", alive: true, want: false, why: "exit, the shell running: it runs" },
    { code: "ls\nexit 0", session: "box", alive: false, want: true, why: "a block ending with exit N" },
    { code: "ls", session: "box", alive: false, want: false, why: "no exit: the runner says the shell is gone" },
    { code: "exit", session: "host", alive: false, want: false, why: "never the host's" },
  ])("$why", ({ code, session, alive, want }) => {
    expect(alreadyLeft(block(code, session), () => alive)).toBe(want);
  });
});
