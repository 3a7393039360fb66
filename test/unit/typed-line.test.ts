import { describe, expect, it } from "vitest";
import { escapeEnd, TypedLine } from "../../src/exec/typed-keys.js";

/** The lines TypedLine reports for KEYS fed one character at a time, as the typed shell feeds them. */
function lines(keys: string): (string | null)[] {
  const typed = new TypedLine();
  const out: (string | null)[] = [];
  for (const ch of keys) {
    const line = typed.push(ch);
    if (line !== undefined) out.push(line);
  }
  return out;
}

describe("TypedLine", () => {
  it.each([
    ["plain keys", "check\r", ["check"]],
    ["backspace and Ctrl-U", "chx\x7feck\r\x15ls\r", ["check", "ls"]],
    ["Ctrl-C clears the line", "ls -l\x03check\r", ["check"]],
    // BusyBox ash asks ESC[6n at every prompt; a real terminal's answer arrives before the learner's keys.
    ["a cursor position reply before the line", "\x1b[30;17Rcheck\r", ["check"]],
    ["a cursor position reply in the middle", "che\x1b[1;1Rck\r", ["check"]],
    ["device attributes and focus events", "\x1b[?64;1;2c\x1b[>1;10;0c\x1b[Icheck\x1b[O\r", ["check"]],
    ["a colour query's answer (OSC, BEL and ST ended)", "\x1b]11;rgb:0000/0000/0000\x07\x1b]10;rgb:ffff/ffff/ffff\x1b\\check\r", ["check"]],
    ["a bracketed paste", "\x1b[200~check\x1b[201~\r", ["check"]],
    ["an arrow key makes the line unknown", "chec\x1b[Dk\r", [null]],
    ["an application-mode arrow too", "check\x1bOA\r", [null]],
    ["Alt-b too", "check\x1bb\r", [null]],
    ["an unfinished escape at Enter", "check\x1b[\r", [null]],
    ["the next line is followed again", "\x1b[Ax\rcheck\r", [null, "check"]],
  ])("%s", (_name, keys, want) => {
    expect(lines(keys)).toEqual(want);
  });
});

describe("escapeEnd", () => {
  it.each([
    ["", undefined],
    ["[", undefined],
    ["[30;1", undefined],
    ["[30;17R", "reply"],
    ["[A", "key"],
    ["[1;5C", "key"],
    ["[3~", "key"],
    ["]11;rgb:0/0/0", undefined],
    ["]11;rgb:0/0/0\x07", "reply"],
    ["OA", "key"],
    ["b", "key"],
    ["[" + "1".repeat(70), "key"],
  ] as const)("%j → %s", (seq, want) => {
    expect(escapeEnd(seq)).toBe(want);
  });
});
