// A session's variables (what an entered session starts with): `export -p` of real shells parsed into their values.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseExportP } from "../../src/exec/export-parse.js";
import { shellQuote } from "../../src/exec/block-script.js";

const tricky: Record<string, string> = {
  PLAIN: "value",
  SPACES: "a b  c",
  QUOTES: `it's "quoted"`,
  DOLLAR: "$HOME and `cmd` and \\back",
  NEWLINE: "line1\nline2\n",
  EMPTY: "",
  CTRL: "a\x01b\tc",
};

describe("parseExportP", () => {
  it.each([
    ["bash declare -x", 'declare -x A="1"\ndeclare -x B="x \\"y\\" \\$z \\\\ \\`w\\`"\ndeclare -x NOVALUE\n', { A: "1", B: 'x "y" $z \\ `w`' }],
    ["bash $'…' with octal and escapes", "declare -x C=$'a\\001b\\nc\\'d'\n", { C: "a\x01b\nc'd" }],
    ["ash/dash export with '\\''", "export D='it'\"'\"'s'\nexport E='multi\nline'\n", { D: "it's", E: "multi\nline" }],
    ["bash POSIX mode", 'export F="v"\n', { F: "v" }],
    ["garbage lines are skipped", "something else\n--\ndeclare -x G=\"g\"\n", { G: "g" }],
  ])("%s", (_name, text, want) => {
    expect(parseExportP(text)).toEqual(want);
  });

  const shells = [["bash", "/bin/bash"], ["busybox ash", "/bin/busybox"], ["dash", "/bin/dash"]].filter(([, p]) => existsSync(p!));
  it.each(shells)("round-trips tricky values through real %s", (_name, path) => {
    const args = path!.endsWith("busybox") ? ["sh", "-c", "export -p"] : ["-c", "export -p"];
    const out = execFileSync(path!, args, { env: { ...tricky }, encoding: "utf8" });
    const parsed = parseExportP(out);
    for (const [k, v] of Object.entries(tricky)) expect([k, parsed[k]]).toEqual([k, v]);
  });
});

describe("shellQuote", () => {
  it.each([["plain", "'plain'"], ["it's", "'it'\\''s'"], ["", "''"]])("%s", (s, q) => {
    expect(shellQuote(s)).toBe(q);
    expect(execFileSync("/bin/sh", ["-c", `printf %s ${q}`], { encoding: "utf8" })).toBe(s);
  });
});
