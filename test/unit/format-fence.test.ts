// Fence info strings → block fields, or the diagnostics (code and column) they must produce.
import { describe, expect, test } from "vitest";
import { interpretFence, checkName } from "../../src/format/block.js";
import { DiagnosticSink } from "../../src/format/diagnostics.js";
import { DEFAULT_TIMEOUT_MS } from "../../src/format/types.js";

/** Interpret "```INFO" on line 10 (the info string starts at column 4). */
function fence(info: string, code = "true", inCleanup = false) {
  const sink = new DiagnosticSink("lab.md");
  const meaning = interpretFence({ info, infoColumn: 4, code, line: 10 }, inCleanup, sink);
  return { meaning, diagnostics: sink.items };
}

describe("valid info strings", () => {
  test.each([
    ["sh", { role: "command", lang: "sh", session: "host", exit: 0, timeoutMs: DEFAULT_TIMEOUT_MS, background: false }],
    ["bash", { role: "command", lang: "bash" }],
    ["shell", { role: "command", lang: "shell" }],
    ["SH", { role: "command", lang: "SH" }],
    ["sh verify", { role: "verify" }],
    ["sh solution", { role: "solution" }],
    ["sh setup", { role: "setup" }],
    ["sh cleanup", { role: "cleanup" }],
    ["sh session=ns", { session: "ns" }],
    ["sh enter=c1", { enter: "c1", session: "host" }],
    ["sh enter=inner session=outer", { enter: "inner", session: "outer" }],
    ["sh exit=1", { exit: 1 }],
    ["sh exit=255", { exit: 255 }],
    ["sh timeout=5s", { timeoutMs: 5000 }],
    ["sh background", { background: true }],
    ["sh verify retry=10s timeout=1m", { role: "verify", retryMs: 10_000, timeoutMs: 60_000 }],
    ["  sh   verify   session=a_b-1  ", { role: "verify", session: "a_b-1" }],
    // Session names: letters (any case), digits, _ . - (the contract puts no limit on NAME).
    ["sh session=Host", { session: "Host" }],
    ["sh session=1st", { session: "1st" }],
    ["sh enter=a.b", { enter: "a.b" }],
    ["sh enter=_web-1.v2", { enter: "_web-1.v2" }],
    ["sh session=x verify", { role: "verify", session: "x" }],
    ["sh solution enter=c exit=2 timeout=500ms", { role: "solution", enter: "c", exit: 2, timeoutMs: 500 }],
    ["sh setup background session=ns", { role: "setup", background: true, session: "ns" }],
    ["sh cleanup session=ns timeout=3s", { role: "cleanup", session: "ns", timeoutMs: 3000 }],
    ["verify", { role: "verify", lang: "" }],
    ["setup session=ns", { role: "setup", lang: "", session: "ns" }],
    ["sh wrong session=ns exit=1 timeout=5s", { role: "wrong", session: "ns", exit: 1, timeoutMs: 5000 }],
    ["sh undo session=ns timeout=5s", { role: "undo", session: "ns", timeoutMs: 5000 }],
  ])("```%s", (info, fields) => {
    const { meaning, diagnostics } = fence(info);
    expect(diagnostics).toEqual([]);
    expect(meaning.kind).toBe("block");
    if (meaning.kind === "block") expect(meaning.block).toMatchObject({ ...fields, line: 10, codeLine: 11, code: "true" });
  });

  test.each(["text expect", "console expect", "expect"])("```%s is expected output", (info) => {
    const { meaning, diagnostics } = fence(info, "a  \n...\nb.* (re)\n\n  c");
    expect(diagnostics).toEqual([]);
    expect(meaning).toEqual({ kind: "expect", spec: { lines: ["a", "...", "b.* (re)", "", "  c"], line: 10, lang: info.split(" ").length > 1 ? info.split(" ")[0] : "" } });
  });

  test("an empty expect block expects no output", () => {
    expect(fence("text expect", "").meaning).toEqual({ kind: "expect", spec: { lines: [], line: 10, lang: "text" } });
  });

  test.each(["", "text", "console", "yaml", "json", "diff", "ini", "python title=x.py", "text is {shown}"])(
    "```%s without a role is only shown",
    (info) => {
      expect(fence(info)).toEqual({ meaning: { kind: "display" }, diagnostics: [] });
    },
  );

  test("role-less blocks in ## Cleanup are cleanup blocks", () => {
    const { meaning, diagnostics } = fence("sh session=ns", "true", true);
    expect(diagnostics).toEqual([]);
    if (meaning.kind === "block") expect(meaning.block).toMatchObject({ role: "cleanup", session: "ns" });
  });
});

describe("invalid info strings", () => {
  // [info, [code, column] ...]; the info string starts at column 4.
  test.each<[string, [string, number][]]>([
    ["sh verfy", [["fence/unknown-word", 7]]],
    ["sh wrnog", [["fence/unknown-word", 7]]],
    ["sh wrong sesion=x", [["fence/unknown-attribute", 13]]],
    ["sh wrong retry=5s", [["fence/attribute-not-allowed", 13]]],
    ["sh wrong enter=x", [["fence/attribute-not-allowed", 13]]],
    ["sh undo exit=1", [["fence/attribute-not-allowed", 12]]],
    ["sh verify verify", [["fence/two-roles", 14]]],
    ["sh verify setup", [["fence/two-roles", 14]]],
    ["sh timeout=", [["fence/malformed-attribute", 7]]],
    ["sh =5s", [["fence/malformed-attribute", 7]]],
    ["sh a=b=c", [["fence/malformed-attribute", 7]]],
    ["sh session", [["fence/missing-value", 7]]],
    ["sh colour=red", [["fence/unknown-attribute", 7]]],
    ["sh sesion=x", [["fence/unknown-attribute", 7]]],
    ["sh session=a session=b", [["fence/duplicate-attribute", 17]]],
    ["sh background background", [["fence/duplicate-attribute", 18]]],
    ["sh background=yes", [["fence/malformed-attribute", 7]]],
    ["sh exit=256", [["fence/bad-exit", 7]]],
    ["sh exit=-1", [["fence/bad-exit", 7]]],
    ["sh exit=one", [["fence/bad-exit", 7]]],
    ["sh timeout=0s", [["fence/bad-timeout", 7]]],
    ["sh timeout=30", [["fence/bad-timeout", 7]]],
    ["sh verify retry=soon", [["fence/bad-retry", 14]]],
    ["sh verify retry=0ms", [["fence/bad-retry", 14]]],
    ["sh session=a;b", [["fence/bad-session-name", 7]]],
    ["sh session=$x", [["fence/bad-session-name", 7]]],
    ["sh session=-x", [["fence/bad-session-name", 7]]],
    ["sh enter=.hidden", [["fence/bad-session-name", 7]]],
    ["sh enter=a/b", [["fence/bad-session-name", 7]]],
    ["sh enter=host", [["fence/enter-host", 7]]],
    ["sh background enter=d", [["fence/background-enter", 18]]],
    ["sh verify enter=x", [["fence/attribute-not-allowed", 14]]],
    ["sh verify exit=1", [["fence/attribute-not-allowed", 14]]],
    ["sh verify background", [["fence/attribute-not-allowed", 14]]],
    ["sh retry=5s", [["fence/attribute-not-allowed", 7]]],
    ["sh solution retry=5s", [["fence/attribute-not-allowed", 16]]],
    ["sh cleanup enter=x", [["fence/attribute-not-allowed", 15]]],
    ["sh cleanup background", [["fence/attribute-not-allowed", 15]]],
    ["text expect session=a", [["fence/attribute-not-allowed", 16]]],
    ["text expect timeout=5s exit=1", [["fence/attribute-not-allowed", 16], ["fence/attribute-not-allowed", 27]]],
    ["sh expect", [["fence/bad-lang", 4]]],
    ["python verify", [["fence/bad-lang", 4]]],
    ["text solution", [["fence/bad-lang", 4]]],
    ["yaml session=a", [["fence/not-runnable", 4]]],
    ["console background", [["fence/not-runnable", 4]]],
    ["sh exit verify background=yes timeout=x", [["fence/missing-value", 7], ["fence/malformed-attribute", 19], ["fence/bad-timeout", 34]]],
  ])("```%s", (info, expected) => {
    const { diagnostics } = fence(info);
    expect(diagnostics.map((d) => [d.code, d.column])).toEqual(expected);
    for (const d of diagnostics) {
      expect(d).toMatchObject({ file: "lab.md", line: 10, severity: "error" });
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.expected).toBeTruthy();
      expect(d.example).toBeTruthy();
    }
  });

  test("an unknown role suggests the closest one", () => {
    expect(fence("sh verfy").diagnostics[0]?.message).toContain("did you mean `verify`?");
    expect(fence("sh sesion=x").diagnostics[0]?.message).toContain("did you mean `session`?");
  });

  test.each(["sh verify", "sh setup", "sh solution", "text expect"])("```%s in ## Cleanup is refused", (info) => {
    expect(fence(info, "true", true).diagnostics.map((d) => d.code)).toEqual(["cleanup/bad-role"]);
  });
});

describe("check names", () => {
  test.each<[string, string | undefined]>([
    ["# the namespace exists\nip netns list", "the namespace exists"],
    ["#!/bin/sh\n\n  # after a shebang\ntrue", "after a shebang"],
    ["## two hashes ##\ntrue", "two hashes ##"],
    ["\n\n#   padded   \ntrue", "padded"],
    ["true\n# too late", undefined],
    ["#\ntrue", undefined],
    ["", undefined],
  ])("%j → %j", (code, name) => {
    expect(checkName(code)).toBe(name);
  });

  test("verify blocks carry their name", () => {
    const { meaning } = fence("sh verify", "#!/bin/bash\n# veth is up\nip link show");
    expect(meaning.kind === "block" && meaning.block.name).toBe("veth is up");
    const unnamed = fence("sh verify", "ip link show").meaning;
    expect(unnamed.kind === "block" && "name" in unnamed.block).toBe(false);
  });
});
