// Wide commands wrapped the shell's way: what is shown, once the shell joins its continuation lines, is the
// command itself — checked against every command of every lab in labs/, and by bash's own parser.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { wrapShellCode } from "../../src/term/shell-wrap.js";
import { displayWidth } from "../../src/term/width.js";
import { bundledLabsDir, loadAllLabs } from "../../src/format/load.js";

/** What the shell reads: backslash-newline removed (a closed-and-reopened single quote joined), indentation after a " \" break collapsed. */
function joined(lines: string[]): string {
  const ls = [...lines];
  let out = "";
  for (let i = 0; i < ls.length; i++) {
    const line = ls[i]!;
    const next = ls[i + 1];
    if (next !== undefined && !/^\s*#/.test(line) && /(^|[^\\])(\\\\)*\\$/.test(line)) {
      if (line.endsWith("'\\") && next.startsWith("'")) {
        out += line.slice(0, -2);
        ls[i + 1] = next.slice(1);
      } else if (line.endsWith(" \\")) {
        out += line.slice(0, -1);
        ls[i + 1] = next.replace(/^\s+/, "");
      } else out += line.slice(0, -1);
      continue;
    }
    out += `${line}\n`;
  }
  return out;
}

/** Comments rewrapped as several comment lines, and runs of spaces, do not change what runs. */
const normal = (code: string) => code.replace(/(^|\s)#.*$/gm, "$1").replace(/[ \t]+/g, " ").replace(/\s*\n\s*/g, "\n").trim();

describe("wrapShellCode", () => {
  it.each([
    ["fits: unchanged", "ls -l /tmp", 20, ["ls -l /tmp"]],
    ["breaks at a space with a continuation", "ip link add a type veth peer name b", 20, ["ip link add a type \\", "    veth peer name b"]],
    ["never breaks inside quotes at a space", 'echo "a b c d e f" x', 12, ['echo \\', '    "a b c \\', 'd e f" x']],
    // A quoted string that fits the line, but not after the continuation's indent: less indent, never a cut inside it.
    ["a quoted string that fits the line keeps whole, with less indent", '[ "$(cat /a/b/c/d/e)" = x ]', 22, ["[ \\", ' "$(cat /a/b/c/d/e)" \\', "    = x ]"]],
    ["an option with a quoted value likewise", 'systemd-nspawn -D "$R" --bind="$LAB_DIR/a b:/mnt" /bin/sh', 30, ["systemd-nspawn -D \"$R\" \\", '  --bind="$LAB_DIR/a b:/mnt" \\', "    /bin/sh"]],
    ["cuts a single-quoted word wider than the line by closing and reopening the quote", "sh -c 'abcdefghijkl'", 12, ["sh -c \\", "    'abcde'\\", "'fghijkl'"]],
    ["comments go on as comments", "# one two three four five", 14, ["# one two", "# three four", "# five"]],
    ["heredoc bodies stay as they are", "cat <<'EOF'\na very long line that is longer than the room\nEOF", 20, ["cat <<'EOF'", "a very long line that is longer than the room", "EOF"]],
  ])("%s", (_n, code, room, expected) => {
    expect(wrapShellCode(code, room)).toEqual(expected);
  });

  it("every lab command, at 36, 56 and 76 columns: fits, reads back as the same command, and bash parses it", async () => {
    const labs = (await loadAllLabs(bundledLabsDir())).flatMap((l) => (l.result.ok ? [l.result.lab] : []));
    expect(labs.length).toBeGreaterThan(5);
    let wrappedSome = 0;
    for (const lab of labs) {
      const blocks = lab.steps.flatMap((s) => s.blocks).concat(lab.cleanup).map((b) => b.code);
      for (const room of [36, 56, 76]) {
        const scripts: string[] = [];
        for (const code of blocks) {
          const lines = wrapShellCode(code, room);
          if (lines.length > code.split("\n").length) wrappedSome++;
          expect(normal(joined(lines)), `${lab.file} at ${room}:\n${lines.join("\n")}`).toBe(normal(joined(code.split("\n"))));
          const original = new Set(code.split("\n"));
          for (const l of lines) if (displayWidth(l) > room && !original.has(l)) expect(l, `${lab.file}: a wrapped line overflows`).toMatch(/^\S*$/);
          scripts.push(`f() {\n${lines.join("\n")}\n:\n}`);
        }
        execFileSync("bash", ["-n"], { input: scripts.join("\n") });
      }
    }
    expect(wrappedSome).toBeGreaterThan(20);
  });

  // A word of more than 10 000 lines' worth: a round limit of 10 000 cuts left the rest of it on one line.
  it("a 900 000-character word: every piece fits, and it reads back whole", () => {
    const code = `echo ${"x".repeat(900_000)}`;
    const lines = wrapShellCode(code, 78);
    expect(lines.length).toBeGreaterThan(11_000);
    expect(lines.filter((l) => l.length > 78)).toEqual([]);
    expect(joined(lines)).toBe(`${code}\n`);
  });
});
