// Guided mode's text pieces with colours off: what the learner reads for checks, failures, progress, the menu.
import { describe, expect, it } from "vitest";
import { plainStyle } from "../../src/term/style.js";
import type { Block, Lab } from "../../src/format/types.js";
import type { BlockResult } from "../../src/exec/types.js";
import { blockFailure, checkFailure, checkLine, commandView, failedAsExpected, progressBar, resultInWords } from "../../src/guided/render.js";
import { expectMismatch, typedExitNote } from "../../src/guided/typed-notes.js";
import { noticeText, OtherScreen } from "../../src/guided/type-it.js";
import { sessionEndedText } from "../../src/guided/step-questions.js";
import type { Step } from "../../src/format/types.js";
import { firstLabToOffer, fitWords, menuChoices, progressText, type MenuEntry } from "../../src/guided/menu.js";
import { displayWidth } from "../../src/term/width.js";
import type { LabProgressSummary } from "../../src/guided/progress.js";
import { startArg, unmetReport } from "../../src/guided/run-messages.js";
import { needWithFix } from "../../src/host/doctor.js";
import { labsDir } from "../../src/format/load.js";
import { join } from "node:path";

const view = { style: plainStyle(true), width: 80 };
const ascii = { style: plainStyle(false), width: 80 };

const LDD_EXPECT = { lines: ["\\s*not a dynamic executable (re)"], line: 70 };
function block(over: Partial<Block> = {}): Block {
  return { role: "verify", lang: "sh", code: "true", line: 10, codeLine: 11, session: "host", exit: 0, timeoutMs: 60_000, background: false, name: "the file exists", ...over };
}
function result(over: Partial<BlockResult> = {}): BlockResult {
  return { kind: "ok", exitCode: 0, stdout: "", stderr: "", durationMs: 5, ...over };
}

describe("resultInWords", () => {
  it.each([
    [result({ exitCode: 127 }), "exit status 127 (command or program not found)"],
    [result({ exitCode: 1 }), "exit status 1 (general failure)"],
    [result({ kind: "timeout", exitCode: null, reason: "timed out after 5s" }), "it did not finish in time (timed out after 5s) and was stopped"],
    [result({ kind: "session-died", exitCode: null, reason: "session box exited (status 0)" }), "its shell session ended (session box exited (status 0))"],
    [result({ kind: "enter-failed", exitCode: null, reason: "chroot: not found" }), "the command did not open a working shell session (chroot: not found)"],
  ])("%j", (r, words) => {
    expect(resultInWords(r)).toBe(words);
  });
});

describe("checks", () => {
  const failed = { block: block(), result: result({ exitCode: 1, stderr: "cat: /x: No such file or directory\n" }), outcome: { status: "fail" as const, reason: "x" }, attempts: 3 };
  it("named ✓/✗ lines, ASCII without Unicode", () => {
    expect(checkLine({ ...failed, outcome: { status: "pass" } }, view)).toBe("  ✓ the file exists");
    expect(checkLine(failed, view)).toBe("  ✗ the file exists");
    expect(checkLine(failed, ascii)).toBe("  FAIL the file exists");
    expect(checkLine({ ...failed, block: block({ name: undefined }) }, view)).toBe("  ✗ check at line 10");
  });
  it("a failed check says expected vs actual, the attempts and what it printed", () => {
    expect(checkFailure(failed, view).split("\n")).toEqual([
      "",
      'Why "the file exists" failed:',
      "  expected: the check succeeds (exit status 0)",
      "  actual:   exit status 1 (general failure)",
      "  (tried 3 times while waiting for it to pass)",
      "  the check printed:",
      "    cat: /x: No such file or directory",
    ]);
  });
});

describe("a failed check at 80 columns", () => {
  it("wraps its name, values and what it printed at words, under their indents", () => {
    const name = "alpine-minirootfs.tar.gz in LAB_DIR is the pinned release, byte for byte";
    const run = { block: block({ name, code: '[ -s "$T" ]' }), result: result({ exitCode: 1, failedLine: 12, stderr: "cat: /var/tmp/rootlab/chroot-11UVnZ/root/proc/1/comm: No such file or directory\n" }), outcome: { status: "fail" as const, reason: "x" }, attempts: 1 };
    const text = checkFailure(run, view, { line: '[ -s "$T" ]', values: ['value: "/var/tmp/rootlab/alpine-rootfs-llWKIb/alpine-minirootfs.tar.gz"   (tested with -s)'] });
    const lines = text.split("\n");
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
    expect(text.replace(/\s+/g, " ")).toContain(`Why "${name}" failed:`);
    expect(lines).toContain("    (tested with -s)");
    expect(lines.some((l) => l.startsWith("      ") && l.trim() === "directory")).toBe(true);
  });
});

describe("a failed check names its condition", () => {
  it("its line in the lab and the values it compared", () => {
    const run = { block: block({ code: '# note\n[ "$(cat "$LAB_DIR/note")" = hello ]', codeLine: 11 }), result: result({ exitCode: 1, failedLine: 12 }), outcome: { status: "fail" as const, reason: "x" }, attempts: 1 };
    expect(checkFailure(run, view, { line: '[ "$(cat "$LAB_DIR/note")" = hello ]', values: ['left:  "hallo"', 'right: "hello"   (compared with =)'] }).split("\n")).toEqual([
      "",
      'Why "the file exists" failed:',
      "  this condition did not hold (line 12 of the lab):",
      '    [ "$(cat "$LAB_DIR/note")" = hello ]',
      '  left:  "hallo"',
      '  right: "hello"   (compared with =)',
    ]);
  });
});

describe("commands meant to fail", () => {
  it("say so before they run and after they failed as expected", () => {
    const cmd = block({ role: "command", code: "chroot \"$R\" /bin/sh", exit: 126, name: undefined });
    expect(commandView(cmd, { n: 1, of: 1 }, view)).toContain("Command (on the host; meant to fail with exit status 126)");
    // Wrapped at words to 80 columns, as all prose.
    // Without an expected output only the status was checked, and the words say no more.
    expect(failedAsExpected(cmd, view)).toBe(
      "✓ Exit status 126 (could not execute it), as the step expects (it is meant to\n  fail; rootlab checked the status only, so read what it printed).",
    );
    expect(failedAsExpected({ ...cmd, expect: LDD_EXPECT }, view)).toBe(
      "✓ Exit status 126 (could not execute it) and the output the step expects: this\n  command is meant to fail.",
    );
    expect(failedAsExpected(block({ role: "command", exit: 0 }), view)).toBeUndefined();
  });

  // A new-user trial: ping's and ls's status 2 were glossed "misuse (bad usage / syntax)", the shell's meaning.
  it.each([
    ["ping -c 1 -W 1 10.231.3.2", "Exit status 2 (ping: an error other than no reply, e.g. network unreachable or unknown host)"],
    ["ls /nonexistent", "Exit status 2 (ls: serious trouble, e.g. a path it was given cannot be accessed)"],
    ["ls a; ping -c1 x", "Exit status 2 (the command's own meaning: see its man page)"],
  ])("status 2 of %s in the words of who returned it", (code, words) => {
    const note = failedAsExpected(block({ role: "command", code, exit: 2, name: undefined }), { ...view, width: 400 });
    expect(note).toContain(words);
    expect(note).not.toContain("misuse");
  });

  it("typed with the expected status but another reason (busybox missing): the printed line against the expected one", () => {
    const ldd = block({ role: "command", code: 'ldd "$R/bin/busybox"', exit: 1, name: undefined, expect: LDD_EXPECT });
    const missing = "ldd: /var/tmp/rootlab/chroot-x/root/bin/busybox: No such file or directory\n";
    expect(typedExitNote(ldd, 1, view, missing)).toBe(
      '! Exit status 1 as expected, but it printed "ldd:\n  /var/tmp/rootlab/chroot-x/root/bin/busybox: No such file or directory" instead\n  of "not a dynamic executable": it failed for another reason. Compare what you\n  typed with the command above (and what the earlier commands made).',
    );
    expect(typedExitNote(ldd, 1, view, "\tnot a dynamic executable\n")).toBe(
      "✓ Exit status 1 (general failure) and the output the step expects: this command\n  is meant to fail.",
    );
    // Its prompt was not seen (a PS1 of the learner's own): the status alone, said as such.
    expect(typedExitNote({ ...ldd, expect: undefined }, 1, view)).toContain("as the step expects");
  });

  it.each<[string, number, number | undefined, string | undefined]>([
    [
      "typed, and it failed the way the lab expects",
      126,
      126,
      "✓ Exit status 126 (could not execute it), as the step expects (it is meant to\n  fail; rootlab checked the status only, so read what it printed).",
    ],
    [
      "typed, and it did not fail",
      1,
      0,
      "! Your last command ended with exit status 0 (success), but this command is\n  meant to fail with exit status 1 (general failure). Compare what you typed\n  with the command above.",
    ],
    ["typed, the shell could not tell", 1, undefined, undefined],
    ["a command meant to succeed says nothing when the learner's last command failed (looking around)", 0, 1, undefined],
    // unshare-pivot-root, `unshare --pid … bash` typed without --fork: its bash says `fork: Cannot allocate memory`, then exit.
    ["a command meant to succeed: 254 is the program's own status, not a signal: nothing", 0, 254, undefined],
    [
      "a command meant to succeed: the learner's last command was stopped by Ctrl-C",
      0,
      130,
      "! Your last command was stopped (exit status 130: killed by SIGINT (Ctrl-C)), so\n  it did not run to its end. If that was the command above, the step's checks\n  will say what is missing; you can then try the step again.",
    ],
  ])("%s", (_name, exit, lastStatus, want) => {
    expect(typedExitNote(block({ role: "command", exit, name: undefined }), lastStatus, view)).toBe(want);
  });
});

describe("typedExitNote: the step's own command, typed (RAN known)", () => {
  const curl = { ...block({ role: "command", exit: 0, name: undefined }), code: "ip netns exec rlo-proxy curl -sS https://a.example.test/", expect: { lines: ["hello from web-a"], line: 9 } } as ReturnType<typeof block>;
  const ran = "ip netns exec rlo-proxy curl -sS https://a.example.test:444/";
  it("failed: said with its status, though the checks may pass", () => {
    const note = typedExitNote(curl, 7, view, "curl: (7) Failed to connect\n", ran);
    expect(note?.replace(/\n +/g, " ")).toMatch(/Your command `ip netns exec rlo-proxy curl -sS https:\/\/a\.example\.test:444\/` ended with exit status 7/);
    expect(note?.replace(/\n +/g, " ")).toMatch(/exit status 7; the step's command is meant to succeed/);
  });
  it("succeeded but printed what the step does not expect", () => {
    expect(typedExitNote(curl, 0, view, "hello from web-b\n", ran)?.replace(/\n +/g, " ")).toMatch(/printed "hello from web-b" where the step expects "hello from web-a"/);
  });
  it("succeeded and printed what the step expects: nothing to say", () => {
    expect(typedExitNote(curl, 0, view, "hello from web-a\n", ran)).toBeUndefined();
  });
  it("the last command typed was something else (looking around): nothing", () => {
    expect(typedExitNote(curl, 2, view, "ls: cannot access\n")).toBeUndefined();
  });
});

describe("words wrap at 80 columns, never inside a word", () => {
  const words = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "").split(/\s+/).filter(Boolean);
  it("a notice in the typed shell: CR LF line ends, a hanging indent, every word whole", () => {
    const text = "Ctrl-] gives the shell back to rootlab only while it waits at its prompt. Finish or stop what is running (q, Ctrl-C, or exit a shell you started), then press it again — or type check.";
    const out = noticeText(text, 80);
    expect(out.startsWith("\r\n")).toBe(true);
    expect(out.endsWith("\r\n")).toBe(true);
    const lines = out.slice(2, -2).split("\r\n").map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(displayWidth(line)).toBeLessThan(80);
    expect(lines[1]).toMatch(/^ {10}\S/);
    expect(words(out)).toEqual(words(`[rootlab] ${text}`));
  });

  it.each<[number, string]>([
    [0, "Start this step again: rootlab cleans up the lab, starts step 1 from its first command."],
    [1, "re-creates step 1 in fresh sessions"],
    [3, "re-creates steps 1–3 in fresh sessions"],
  ])("the session ended (step %i): what happened and what each choice does", (index, part) => {
    const text = sessionEndedText({ index } as Step);
    expect(text).toContain("When the shell rootlab gave you ends (`exit`, Ctrl-D");
    expect(text.replace(/\s+/g, " ")).toContain(part);
    expect(text).not.toMatch(/block/);
  });
});

describe("blockFailure", () => {
  const cmd = block({ role: "command", name: undefined, exit: 126 });
  it("a wrong exit status names both, in words", () => {
    const text = blockFailure({ block: cmd, result: result({ exitCode: 127, failedLine: 12 }), outcome: { status: "fail", reason: "x" } }, view);
    expect(text.split("\n")).toEqual([
      "✗ The command failed.",
      "  expected: exit status 126 (could not execute it)",
      "  actual:   exit status 127 (command or program not found)",
      "  (failing line 12 of the lab file)",
    ]);
  });
  it("an expect mismatch shows the aligned report", () => {
    const text = blockFailure({ block: cmd, result: result(), outcome: { status: "fail", reason: "x" }, expect: { report: ["expected | actual", "a        | b"], firstDifference: 1 } }, view);
    expect(text).toBe("✗ The output is not what this step expects:\n  expected | actual\n  a        | b");
  });
  it("an expect mismatch with patterns says in words what the step expects (no raw (re))", () => {
    const withPatterns = { ...cmd, expect: { lines: ["NSpid:\\s+\\d+\\s+1 (re)", "..."], line: 3 } } as typeof cmd;
    const text = blockFailure({ block: withPatterns, result: result(), outcome: { status: "fail", reason: "x" }, expect: { report: ["r"], firstDifference: 1 } }, view);
    expect(text.split("\n").slice(2)).toEqual([
      "  In words, the step expects (`<number>` for digits, `(any lines)` for any",
      "  number of lines):",
      "    NSpid: <number> 1",
      "    (any lines)",
    ]);
  });
  it("a long reason is wrapped at words under its field, never cut mid-word by the terminal", () => {
    const reason = "the session's shell could not open this block's output files, so the block did not run at this mount point";
    const died = blockFailure({ block: cmd, result: result({ kind: "session-died", exitCode: null, reason }), outcome: { status: "error", reason: "x" } }, { ...view, width: 60 });
    for (const line of died.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
    expect(died.split("\n")[1]).toMatch(/^ {2}\S/);
    expect(died.replace(/\n +/g, " ")).toContain("at this mount point");
  });
  it("a dead session is explained, never a hang", () => {
    const text = blockFailure({ block: cmd, result: result({ kind: "session-died", exitCode: null, reason: "session box exited" }), outcome: { status: "error", reason: "x" } }, view);
    expect(text).toMatch(/did not complete: its shell session ended \(session box exited\)/);
    expect(text).toMatch(/skipping the step/);
  });
});

describe("small pieces", () => {
  it("progress bar", () => {
    expect(progressBar(1, 4, "Step two", view)).toBe("[█████░░░░░░░░░░░░░░░] 1/4 Step two");
    expect(progressBar(4, 4, "done", ascii)).toBe("[####################] 4/4 done");
  });
  it("command view names the session", () => {
    const text = commandView(block({ role: "command", code: "ls /", session: "box", name: undefined }), { n: 2, of: 3 }, view);
    expect(text).toMatch(/^\nCommand 2\/3 \(in session "box"\)\n/);
    expect(text).toContain("ls /");
  });
});

describe("menu", () => {
  const summary = (over: Partial<LabProgressSummary>): LabProgressSummary => ({ state: "not-started", stepsDone: 0, stepsSkipped: 0, stepsTotal: 5, hintsUsed: 0, nextStep: 0, ...over });
  // The mark (✓ ▶ ·) already says the state: the text only adds counts, and a skip is not counted as done.
  it.each([
    [summary({}), ""],
    [summary({ state: "in-progress", stepsDone: 2, hintsUsed: 1 }), "2/5 steps, 1 hint"],
    [summary({ state: "in-progress", stepsDone: 3, stepsSkipped: 1 }), "2 done, 1 skipped of 5 steps"],
    [summary({ state: "done", stepsDone: 5, hintsUsed: 3, nextStep: undefined }), "3 hints"],
    [summary({ state: "done", stepsDone: 5, nextStep: undefined }), ""],
    [summary({ state: "done", stepsDone: 5, stepsSkipped: 2, hintsUsed: 1, nextStep: undefined }), "3 done, 2 skipped of 5 steps, 1 hint"],
  ])("progress text %#", (s, text) => {
    expect(progressText(s)).toBe(text);
  });
  it("marks, availability and a way out", () => {
    const lab = (id: string) => ({ meta: { id, level: "beginner", duration: "5m" }, title: `Lab ${id}` }) as unknown as Lab;
    const choices = menuChoices(
      [
        { kind: "lab", lab: lab("a"), progress: summary({ state: "done", stepsDone: 5, hintsUsed: 1, nextStep: undefined }), unmet: [] },
        { kind: "lab", lab: lab("c"), progress: summary({}), unmet: [] },
        { kind: "lab", lab: lab("b"), progress: summary({ state: "in-progress", stepsDone: 1 }), unmet: [{ need: "kernel overlay", met: false }] },
        { kind: "invalid", file: "x.md", problem: "invalid lab file" },
      ],
      view.style,
    );
    expect(choices.map((c) => [c.label, c.hint, c.disabled])).toEqual([
      ["✓ Lab a (a, beginner, 5m)", "1 hint", undefined],
      ["· Lab c (c, beginner, 5m)", undefined, undefined],
      ["▶ Lab b (b, beginner, 5m)", undefined, "cannot run here"],
      ["✗ x.md", undefined, "invalid lab file"],
      ["Quit", undefined, undefined],
    ]);
  });
});

describe("where a fresh menu's cursor starts", () => {
  const summary = (state: LabProgressSummary["state"]): LabProgressSummary => ({ state, stepsDone: 0, stepsSkipped: 0, stepsTotal: 5, hintsUsed: 0, nextStep: 0 });
  const lab = (id: string) => ({ meta: { id, level: "beginner", duration: "5m" }, title: `Lab ${id}` }) as unknown as Lab;
  const e = (state: LabProgressSummary["state"], runs = true): MenuEntry => ({ kind: "lab", lab: lab(state), progress: summary(state), unmet: runs ? [] : [{ need: "kernel overlay", met: false }] });
  it.each<[string, MenuEntry[], number]>([
    ["a lab in progress comes first, even after one not started", [e("done"), e("not-started"), e("in-progress")], 2],
    ["else the first not started, not a done one", [e("done"), e("done"), e("not-started")], 2],
    ["never one that cannot run here", [e("done"), e("in-progress", false), e("not-started", false), e("not-started")], 3],
    ["an invalid file is skipped", [{ kind: "invalid", file: "x.md", problem: "bad" }, e("not-started")], 1],
    ["all done: none (enquirer starts on the first)", [e("done"), e("done")], -1],
  ])("%s", (_name, entries, index) => {
    expect(firstLabToOffer(entries)).toBe(index);
  });
});

describe("menu lines fit the terminal", () => {
  const summary = (over: Partial<LabProgressSummary>): LabProgressSummary => ({ state: "not-started", stepsDone: 0, stepsSkipped: 0, stepsTotal: 5, hintsUsed: 0, nextStep: 0, ...over });
  const long = { meta: { id: "alpine-rootfs", level: "beginner", duration: "20m" }, title: "Run a real distribution root — Alpine Linux — downloaded and verified" } as unknown as Lab;
  const entry = (unmet: { need: string; met: false }[], state: "not-started" | "in-progress" = "in-progress") =>
    ({ kind: "lab", lab: long, progress: summary(state === "in-progress" ? { state, stepsDone: 3 } : {}), unmet }) as const;
  it.each([60, 80, 120])("at %i columns: label and note on one line, words whole", (columns) => {
    for (const e of [entry([]), entry([{ need: "systemd as PID 1", met: false }]), entry([], "not-started")]) {
      const [c] = menuChoices([e], view.style, columns);
      const note = c!.hint ?? c!.disabled;
      const line = `${c!.label}${note ? ` (${note})` : ""}`;
      expect(displayWidth(line), line).toBeLessThanOrEqual(columns - 3);
      for (const word of line.replace(/…/g, " ").split(/\s+/).filter((w) => /^[a-z]+$/i.test(w))) expect(long.title + " alpine-rootfs beginner steps cannot run here 3/5", word).toContain(word);
    }
  });
  it("cuts the title at a word, never inside one", () => {
    expect(fitWords("Run a real distribution root — Alpine Linux", 24, "…")).toBe("Run a real distribution…");
  });
});

describe("what to type to open a lab again", () => {
  const at = (file: string) => ({ file, meta: { id: "netns" } }) as unknown as Lab;
  it.each<[string, string, boolean, string]>([
    ["by id, in the default labs folder", join(labsDir(), "03-netns.md"), false, "netns"],
    ["by path, in the default labs folder", join(labsDir(), "03-netns.md"), true, join(labsDir(), "03-netns.md").replace(`${process.cwd()}/`, "")],
    ["in another folder, under the current directory", join(process.cwd(), "my-labs", "03-netns.md"), false, "my-labs/03-netns.md"],
    ["in another folder, elsewhere", "/srv/course/03-netns.md", false, "/srv/course/03-netns.md"],
  ])("%s", (_name, file, byPath, expected) => {
    expect(startArg(at(file), byPath)).toBe(expected);
  });
});

describe("a need and its fix, said once", () => {
  it.each<[string, { need: string; fix?: string }, string]>([
    ["a fix that restates the need", { need: "systemd as PID 1", fix: "needs systemd as PID 1 (machinectl): use the VM" }, "systemd as PID 1 (machinectl): use the VM"],
    ["a fix that does not", { need: "command ip", fix: "install iproute2" }, "command ip: install iproute2"],
    ["no fix", { need: "root" }, "root"],
  ])("%s", (_name, need, expected) => {
    expect(needWithFix(need)).toBe(expected);
  });

  it("guided mode's refusal uses it", () => {
    const lab = { file: "/l/x.md", meta: { id: "x" } } as unknown as Lab;
    expect(unmetReport(lab, [{ need: "systemd as PID 1", met: false, fix: "needs systemd as PID 1 (machinectl): use the VM" }])).toContain("  - systemd as PID 1 (machinectl): use the VM\n");
  });
});

describe("a typed command's output against the block's expected output (stdout and stderr arrive mixed)", () => {
  const block = (lines: string[]) => ({ exit: 1, expect: { lines } }) as unknown as Block;
  it.each<[string, string[], string, { expected: string; actual: string | undefined } | undefined]>([
    ["exactly the expected line", ["corrupt.tar.gz: FAILED"], "corrupt.tar.gz: FAILED\n", undefined],
    [
      "the expected stdout line and a stderr warning after it (sha256sum -c)",
      ["corrupt.tar.gz: FAILED"],
      "corrupt.tar.gz: FAILED\nsha256sum: WARNING: 1 computed checksum did NOT match\n",
      undefined,
    ],
    ["a stderr line before it", ["b"], "warning: x\nb\n", undefined],
    ["a pattern line", ["\\d+ bytes (re)"], "note\n1234 bytes\n", undefined],
    ["another error instead (a typo)", ["not a dynamic executable"], "ldd: /x/busybox: No such file or directory\n", { expected: "not a dynamic executable", actual: "ldd: /x/busybox: No such file or directory" }],
    ["nothing printed", ["not a dynamic executable"], "", { expected: "not a dynamic executable", actual: undefined }],
    ["the second line missing", ["a", "b"], "a\nc\n", { expected: "b", actual: "c" }],
    ["in the wrong order", ["a", "b"], "b\na\n", { expected: "b", actual: undefined }],
  ])("%s", (_name, lines, printed, mismatch) => {
    expect(expectMismatch(block(lines), printed)).toEqual(mismatch);
  });
});

describe("a note given while a full-screen program ran (Ctrl-] in less) is said again when it ends", () => {
  const NOTE = "less (PID 42) is running, so Ctrl-] goes to it: rootlab takes the shell back with Ctrl-] only at the lab shell's prompt.";
  it("drawn over the other screen's bottom rows, the cursor put back; said again once the program leaves that screen", () => {
    const screens = new OtherScreen();
    expect(screens.wrote("$ less /etc/passwd\r\n")).toBeUndefined();
    expect(screens.other).toBe(false);
    screens.wrote("\x1b[?1049h\x1b[22;0;0troot:x:0:0");
    expect(screens.other).toBe(true);
    const overlay = screens.overlay(NOTE, 80, 30);
    expect(overlay.startsWith("\x1b7") && overlay.endsWith("\x1b8")).toBe(true);
    expect(overlay).toContain("\x1b[29;1H");
    expect(overlay).not.toContain("\r\n");
    expect(screens.wrote("more of the file")).toBeUndefined();
    // The switch back split between two writes.
    expect(screens.wrote("\r\x1b[?10")).toBeUndefined();
    expect(screens.wrote("49l\r\n")).toBe(NOTE);
    expect(screens.other).toBe(false);
    expect(screens.wrote("\x1b[?1049h\x1b[?1049l")).toBeUndefined();
  });
  it("no note given: nothing to say again", () => {
    const screens = new OtherScreen();
    screens.wrote("\x1b[?1049h");
    expect(screens.wrote("\x1b[?1049l")).toBeUndefined();
  });
});
