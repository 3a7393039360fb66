// expect/silenced: expected output after a command that sends everything to /dev/null can never match. Only a
// block whose every line silences both streams counts: one printing line (or stderr left) can still match.
import { describe, expect, test } from "vitest";
import { lintLab } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";

function silenced(code: string, expected = "1 received"): boolean {
  const source = `---\nformat: 1\nid: t\ntitle: T\n---\n\n# T\n\nIntro.\n\n## Step\n\nRun:\n\n\`\`\`sh\n${code}\n\`\`\`\n\n\`\`\`text expect\n${expected}\n\`\`\`\n\nDone.\n`;
  const parsed = parseLab(source, "t.md");
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return lintLab(parsed.lab, source).some((d) => d.code === "expect/silenced");
}

describe("expect/silenced", () => {
  test.each<[string, string, boolean]>([
    ["&>/dev/null", "ping -c1 -W2 127.0.0.1 &>/dev/null", true],
    [">/dev/null 2>&1", "ping -c1 -W2 127.0.0.1 >/dev/null 2>&1", true],
    [">& /dev/null", "ping -c1 127.0.0.1 >& /dev/null", true],
    ["every line silenced, comments ignored", "# quiet\nip link show lo &>/dev/null\nping -c1 127.0.0.1 >/dev/null 2>&1", true],
    ["stdout only: stderr can still match", "ls /nonexistent >/dev/null", false],
    ["2>&1 >/dev/null keeps stderr on the output", "ls /nonexistent 2>&1 >/dev/null", false],
    ["a pipe: the first command's stderr still prints", "ping -c1 127.0.0.1 | grep x &>/dev/null", false],
    ["another command on the line prints", "echo hi; ping -c1 127.0.0.1 &>/dev/null", false],
    ["one line still prints", "ip link show lo &>/dev/null\necho 1 received", false],
    ["a continued line", "ping -c1 \\\n  127.0.0.1 &>/dev/null", false],
  ])("%s", (_name, code, flagged) => {
    expect(silenced(code)).toBe(flagged);
  });

  test("an expect of only `...` matches nothing printed: not flagged", () => {
    expect(silenced("ping -c1 127.0.0.1 &>/dev/null", "...")).toBe(false);
  });
});
