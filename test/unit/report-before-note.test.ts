// A check that passes before its step because it reads the PID variable of a session not open yet: the console
// report names the variable and the guard (`fix:`), so the author sees why --strict failed.
import { describe, expect, test } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { emptySessionVarNote } from "../../src/report/before-note.js";

const LAB = [
  "---", "format: 1", "id: t", "title: T", "---", "", "# T", "", "Intro.", "",
  "## Open box", "", "Open it:", "", "```sh enter=box", "unshare --mount sh", "```", "", "Done.", "",
  "## Use box", "", "Use it:", "", "```sh session=box", "true", "```", "", "Done.", "",
  "## Open my-box.2", "", "Open it:", "", "```sh enter=my-box.2", "unshare --mount sh", "```", "", "Done.", "",
].join("\n");

const parsed = parseLab(LAB, "t.md");
if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
const lab = parsed.lab;

describe("emptySessionVarNote", () => {
  test.each<[string, number, string, string | undefined]>([
    ["the step opens the session it reads", 0, '[ "$(readlink /proc/$ROOTLAB_SESSION_BOX_PID/ns/mnt)" != x ]', 'ROOTLAB_SESSION_BOX_PID is empty before this step opens the session `box`, so a test on it can pass there; test it first: [ -n "$ROOTLAB_SESSION_BOX_PID" ]'],
    ["braces", 0, "readlink /proc/${ROOTLAB_SESSION_BOX_PID}/ns/mnt", "$ROOTLAB_SESSION_BOX_PID is empty before this step opens"],
    ["a later step opens it", 0, "kill -0 $ROOTLAB_SESSION_MY_BOX_2_PID", "$ROOTLAB_SESSION_MY_BOX_2_PID is empty before step 3 opens the session `my-box.2`"],
    ["opened in an earlier step: no note", 1, '[ -n "$(readlink /proc/$ROOTLAB_SESSION_BOX_PID/ns/mnt)" ]', undefined],
    ["no session variable: no note", 0, "ip netns list | grep -q rl-red", undefined],
    ["a longer variable name is another variable", 0, "echo $ROOTLAB_SESSION_BOX_PIDS", undefined],
  ])("%s", (_name, stepIndex, code, expected) => {
    const note = emptySessionVarNote(lab, stepIndex, code);
    if (expected === undefined) expect(note).toBeUndefined();
    else expect(note).toContain(expected);
  });
});
