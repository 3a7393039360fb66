// What rootlab says after opening a session the learner typed the command for (enter=NAME): the truth about
// whether their command was the lab's, and how it differed.
import { describe, expect, it } from "vitest";
import type { Block } from "../../src/format/types.js";
import { commandDifference, openedSessionNote, typedOpener } from "../../src/guided/typed-enter.js";

function opener(code: string, enter: string): Block {
  return { role: "command", lang: "sh", code, line: 1, codeLine: 2, session: "host", enter, exit: 0, timeoutMs: 60_000, background: false };
}

const NSPAWN = 'systemd-nspawn -q -D "$LAB_DIR/rlns2" -M rlns2 --private-network /bin/sh';

describe("commandDifference", () => {
  it.each<[string, string, string, string[], string[]]>([
    ["the same command", NSPAWN, NSPAWN, [], []],
    ["an option left out", NSPAWN, 'systemd-nspawn -q -D "$LAB_DIR/rlns2" -M rlns2 /bin/sh', ["--private-network"], []],
    ["options in another order", NSPAWN, 'systemd-nspawn --private-network -M rlns2 -q -D "$LAB_DIR/rlns2" /bin/sh', [], []],
    ["quotes left out, a variable typed expanded", NSPAWN, "systemd-nspawn -q -D /var/lib/rootlab/x/rlns2 -M rlns2 --private-network /bin/sh", [], []],
    ["an expanded path that is another directory", NSPAWN, "systemd-nspawn -q -D /var/lib/rootlab/x/rlns3 -M rlns2 --private-network /bin/sh", ["$LAB_DIR/rlns2"], ["/var/lib/rootlab/x/rlns3"]],
    ["short options clustered or not", "unshare -Ur bash", "unshare -U -r bash", [], []],
    ["the wrapper that runs it as the student left out", "as_student unshare -Ur bash", "unshare -Ur bash", ["as_student"], []],
    ["an option added", "unshare -U bash", "unshare -Ur bash", [], ["-r"]],
  ])("%s", (_name, lab, typed, lacked, extra) => {
    expect(commandDifference(lab, typed)).toEqual({ lacked, extra });
  });
});

describe("typedOpener: which typed line opened the shell", () => {
  it.each<[string, string, string[], string | undefined]>([
    ["the only one", NSPAWN, ["ls", "systemd-nspawn -q -D x -M rlns2 /bin/sh"], "systemd-nspawn -q -D x -M rlns2 /bin/sh"],
    ["a wrapper's program: unshare for as_student unshare", "as_student unshare -Ur bash", ["id", "unshare -Ur bash"], "unshare -Ur bash"],
    ["a bash typed inside the new shell is further away than the unshare", "as_student unshare -Ur bash", ["as_student unshare -Ur bash", "bash"], "as_student unshare -Ur bash"],
    ["a wrong try, then the right one: the right one", "unshare -Ur bash", ["unshare -U bash", "unshare -Ur bash"], "unshare -Ur bash"],
    ["nothing that runs the lab's program", NSPAWN, ["ls /", "echo hi"], undefined],
  ])("%s", (_name, lab, typed, expected) => {
    expect(typedOpener(lab, typed)).toBe(expected);
  });
});

describe("openedSessionNote", () => {
  it.each<[string, string, string, string[], boolean, string[], string[]]>([
    // block code, session, typed lines → same?, text contains, text does not contain
    ["the lab's command, typed: a short confirmation", NSPAWN, "c2", [NSPAWN], true, ['rootlab opened session "c2" with the command you typed.'], ["not yours"]],
    [
      "nspawn step 2 without --private-network: names the lab's command and what theirs lacked",
      NSPAWN,
      "c2",
      ['systemd-nspawn -q -D "$LAB_DIR/rlns2" -M rlns2 /bin/sh', "exit"],
      false,
      ['rootlab opened session "c2" with the lab\'s command, not yours', `\`${NSPAWN}\``, "lacked `--private-network`"],
      ["same command", "command you typed"],
    ],
    [
      "unshare -Ur bash typed as root: the lab's runs it as the student",
      "as_student unshare -Ur bash",
      "u",
      ["unshare -Ur bash"],
      false,
      ["lacked `as_student`", "`as_student unshare -Ur bash`"],
      ["had "],
    ],
    ["an option too many", "unshare -U bash", "m", ["unshare -Ur bash"], false, ["had `-r`, which the lab's has not"], ["lacked"]],
    ["nothing like it typed: the lab's command, shown", "chroot \"$LAB_DIR/root\" /bin/sh", "box", ["ls"], false, ['rootlab opened session "box" with the lab\'s command: `chroot "$LAB_DIR/root" /bin/sh`.'], ["yours"]],
  ])("%s", (_name, code, enter, typed, same, contains, lacks) => {
    const note = openedSessionNote(opener(code, enter), typed);
    expect(note.same).toBe(same);
    for (const c of contains) expect(note.text).toContain(c);
    for (const c of lacks) expect(note.text).not.toContain(c);
  });
});
