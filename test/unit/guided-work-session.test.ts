// Which shell "I'll type it myself" offers for a step as a whole (src/guided/work-session.ts): table-driven.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { stepSessions, workSession } from "../../src/guided/work-session.js";

/** A one-step lab whose commands run in these sessions (`host` = no session attribute). */
function step(sessions: string[]) {
  const blocks = sessions.map((s, i) => `\`\`\`sh${s === "host" ? "" : ` session=${s}`}\ntrue ${i}\n\`\`\`\n`).join("\n");
  const src = `---\nformat: 1\nid: t\ntitle: T\n---\n\n# T\n\n## Step\n\n${blocks}`;
  const r = parseLab(src, "t.md");
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.lab.steps[0]!;
}

describe("workSession and stepSessions", () => {
  it.each([
    { sessions: ["host"], likely: "host", listed: [["host", [1]]], why: "host only" },
    { sessions: ["box", "box", "box", "box", "host"], likely: "box", listed: [["box", [1, 2, 3, 4]], ["host", [5]]], why: "work in the box, a look from the host last (the trial's unshare-pivot-root step 3)" },
    { sessions: ["host", "c3", "host", "c3", "host"], likely: "c3", listed: [["host", [1, 3, 5]], ["c3", [2, 4]]], why: "host set-up around a container: the container" },
  ])("$why", ({ sessions, likely, listed }) => {
    const s = step(sessions);
    expect(workSession(s)).toBe(likely);
    expect(stepSessions(s).map((x) => [x.name, x.commands])).toEqual(listed);
  });

  it("the real labs: every multi-shell step is offered with its non-host shell under the cursor", () => {
    const src = readFileSync(new URL("../../labs/05-unshare-pivot-root.md", import.meta.url), "utf8");
    const r = parseLab(src, "05.md");
    if (!r.ok) throw new Error("lab does not parse");
    const dev = r.lab.steps.find((x) => x.title.includes("/proc and a minimal /dev"))!;
    expect(stepSessions(dev).length).toBeGreaterThan(1);
    expect(workSession(dev)).toBe("box");
  });
});
