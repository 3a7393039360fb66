// A background block in guided mode (src/guided/background-block.ts): what is said before and after it starts,
// and which log file is its own.
import { describe, expect, it } from "vitest";
import { plainStyle } from "../../src/term/style.js";
import type { Block } from "../../src/format/types.js";
import { backgroundIntro, backgroundStarted, shownLog } from "../../src/guided/background-block.js";
import { commandView } from "../../src/guided/render.js";
import { typedShellIntro } from "../../src/guided/typed-notes.js";
import { displayWidth } from "../../src/term/width.js";
import type { Step } from "../../src/format/types.js";

const view = { style: plainStyle(true), width: 80 };

function block(over: Partial<Block> = {}): Block {
  return { role: "command", lang: "sh", code: "exec haproxy -W -f haproxy.cfg", line: 10, codeLine: 11, session: "host", exit: 0, timeoutMs: 60_000, background: true, ...over };
}

describe("what is said around a background block", () => {
  it.each([
    { session: "host", where: "beside the host's shell", from: "" },
    { session: "proxy", where: 'beside the shell of session "proxy"', from: ' (from session "proxy")' },
  ])("in session $session", ({ session, where, from }) => {
    const intro = backgroundIntro(block({ session }), view);
    expect(intro.replace(/\n/g, " ")).toContain(where);
    expect(intro).toMatch(/Ctrl-C would end the session/);
    const started = backgroundStarted(block({ session }), "$LAB_DIR/.rootlab/bg-2.log", view);
    expect(started.replace(/\n\s*/g, " ")).toContain(`Started in the background${from}: it keeps running`);
    expect(started).toContain('\n  What it prints goes to a file; to see it:\n    cat "$LAB_DIR/.rootlab/bg-2.log"');
    for (const text of [intro, started]) for (const row of text.split("\n")) expect(displayWidth(row)).toBeLessThanOrEqual(80);
  });

  it("says when the output is not kept", () => {
    expect(backgroundStarted(block(), undefined, view).replace(/\n\s*/g, " ")).toContain("What it prints is not kept");
  });

  it.each([
    { background: true, label: "(on the host; it starts in the background)" },
    { background: false, label: "(on the host)" },
  ])("the command's label, background $background", ({ background, label }) => {
    expect(commandView(block({ background }), { n: 1, of: 1 }, view)).toContain(`Command ${label}`);
  });

  it("a turn typed at a background block is for fixing what it needs, never for typing the block", () => {
    const b = block();
    const step = { index: 0, blocks: [b] } as unknown as Step;
    const intro = typedShellIntro(step, "host", b, view).replace(/\n/g, " ");
    expect(intro).toContain("Command 1 starts in the background, which rootlab does for you: fix here what it needs");
    expect(intro).not.toContain("Type the command.");
  });
});

// The log is named from the block's result, never looked for in the folder: the job opens its `>log` in a forked
// child that may run after the block has returned (a race seen once: "What it prints is not kept").
describe("shownLog: the log named from the block's result, as the learner types it", () => {
  it.each([
    { name: "under LAB_DIR", log: "/var/tmp/rootlab-x/.rootlab/bg-2.log", labDir: "/var/tmp/rootlab-x", want: "$LAB_DIR/.rootlab/bg-2.log" },
    { name: "LAB_DIR with a trailing slash", log: "/var/tmp/rootlab-x/.rootlab/bg-1.log", labDir: "/var/tmp/rootlab-x/", want: "$LAB_DIR/.rootlab/bg-1.log" },
    { name: "a folder that only starts like LAB_DIR", log: "/var/tmp/rootlab-xy/.rootlab/bg-1.log", labDir: "/var/tmp/rootlab-x", want: "/var/tmp/rootlab-xy/.rootlab/bg-1.log" },
    { name: "output dropped", log: undefined, labDir: "/var/tmp/rootlab-x", want: undefined },
  ])("$name", ({ log, labDir, want }) => {
    expect(shownLog(log, labDir)).toBe(want);
  });
});
