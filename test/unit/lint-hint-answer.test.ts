// hint/answer-first: a step's first hint must not hand over the command that does the step's work. What counts
// as the command (a whole line of a typed block, however it is spaced or split), what is only a nudge (a tool's
// name, a man page, a command that only looks), and where the warning points. The fixture pair
// (lint-rules.test.ts) covers a whole lab.
import { describe, expect, test } from "vitest";
import { lintLab } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";
import { hintCode, normaliseCommand, showsCommand } from "../../src/lint/hint-code.js";
import { looksOnly } from "../../src/lint/look-only.js";

const FRONT = "---\nformat: 1\nid: hint-answer-unit\n---\n\n# Hints\n\nIntro.\n\n";

/** A lab with one step: its typed block(s), a check, and its hints (each a `> [!TIP]`, lines prefixed here). */
function lab(blocks: string, hints: string[]): string {
  const tips = hints.map((h) => `> [!TIP]\n${h.split("\n").map((l) => `> ${l}`.trimEnd()).join("\n")}`).join("\n\n");
  return `${FRONT}## The step\n\nDo it.\n\n${blocks}\n\n\`\`\`sh verify\n# ok\ntrue\n\`\`\`\n\n${tips}\n\nDone.\n`;
}
const sh = (code: string, info = "sh") => `\`\`\`${info}\n${code}\n\`\`\``;

function hits(source: string): { line: number; message: string }[] {
  const parsed = parseLab(source, "labs/x.md");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return lintLab(parsed.lab, source).filter((d) => d.code === "hint/answer-first").map((d) => ({ line: d.line, message: d.message }));
}

const NS_ADD = sh("ip netns add rl-red\nip netns list");
const TOOL_THEN_COMMAND = "`ip-netns(8)`: `ip netns add NAME`.";

describe("hint/answer-first: a first hint that gives the command away", () => {
  test.each<[string, string, string[]]>([
    ["the command in a code span", NS_ADD, ["Make it: `ip netns add rl-red`."]],
    ["the command with extra spaces inside the span", NS_ADD, ["`ip   netns  add rl-red `"]],
    ["a code span split across two lines", NS_ADD, ["Make one: `ip netns\nadd rl-red`, then look."]],
    ["the command in a fenced block", NS_ADD, ["Like this:\n\n```sh\nip netns add rl-red\n```"]],
    ["a ~~~ fence, closed by a longer one", NS_ADD, ["~~~\nip netns add rl-red\n~~~~"]],
    ["a fenced block that splits the command with a backslash", NS_ADD, ["```sh\nip netns add \\\n    rl-red\n```"]],
    ["a `$ ` prompt before the command", NS_ADD, ["```console\n$ ip netns add rl-red\n```"]],
    ["a double-backtick span", NS_ADD, ["``ip netns add rl-red``"]],
    ["the command inside a longer line", NS_ADD, ["`ip netns add rl-red && ip netns list`"]],
    ["other spacing around a pipe and a redirection", sh("ip -o link | grep -c rl >\"$LAB_DIR/count\""), ['`ip -o link|grep -c rl > "$LAB_DIR/count"`']],
    ["the step's line had a trailing comment", sh("hostname rl-box   # the box's own name"), ["`hostname rl-box`"]],
    ["a one-rung ladder that is only the command", NS_ADD, ["`ip netns add rl-red`"]],
    ["a write into a file is work, not a look", sh('echo hello > "$LAB_DIR/note"'), ['`echo hello > "$LAB_DIR/note"`']],
    ["a block of another session", `${sh("unshare --uts sh", "sh enter=box")}\n\n${sh("hostname rl-box", "sh session=box")}`, ["In the box: `hostname rl-box`."]],
    ["a challenge's solution", sh("ip netns add rl-red", "sh solution"), ["`ip netns add rl-red`"]],
    ["an ip command run in a namespace that changes it", sh("ip -n rl-red link set lo up"), ["`ip -n rl-red link set lo up`"]],
  ])("%s: flagged", (_name, blocks, hints) => {
    expect(hits(lab(blocks, [...hints, TOOL_THEN_COMMAND]))).toHaveLength(1);
  });

  test.each<[string, string, string[]]>([
    ["the tool's name", NS_ADD, ["Namespaces are managed with `ip netns`; links with `ip link`."]],
    ["a man page", NS_ADD, ["Read `man 8 ip-netns` (`ip-netns(8)`)."]],
    ["the command without its argument", NS_ADD, ["`ip netns add` takes a name."]],
    ["another name than the step's", NS_ADD, ["`ip netns add rl-other` would make the wrong one."]],
    ["a placeholder for the step's name", NS_ADD, ["`ip netns add NAME`"]],
    ["the command in hint 2, after a nudge", NS_ADD, ["The check looks for a namespace by its name.", "`ip netns add rl-red`"]],
    ["a command that only looks, even one the step runs", NS_ADD, ["`ip netns list` shows what is there."]],
    ["a look inside a namespace", sh("ip -n rl-red addr add 10.231.9.2/24 dev eth0\nip -n rl-red -br addr"), ["Look at `ip -n rl-red -br addr`."]],
    ["a look through `ip netns exec`", sh("ip netns exec rl-red ip link set lo up\nip netns exec rl-red ping -c1 -W1 127.0.0.1"), ["`ip netns exec rl-red ping -c1 -W1 127.0.0.1` fails while `lo` is down."]],
    ["a short command (under 8 characters)", sh("umount /x\nls /"), ["`ls /`"]],
    ["a one-word command", sh("hostname\nid -u"), ["`hostname`"]],
    ["the command in plain prose (lint reads code, as guided mode does)", NS_ADD, ["Type ip netns add rl-red."]],
    ["the step's command as part of a longer word", sh("ip link set rl-h1 up"), ["`ip link set rl-h1 upper`"]],
    ["a command of a check or a wrong attempt", `${sh("true")}\n\n${sh("# wrong\nip netns add rl-red", "sh wrong")}`, ["`ip netns add rl-red`"]],
  ])("%s: not flagged", (_name, blocks, hints) => {
    expect(hits(lab(blocks, [...hints, TOOL_THEN_COMMAND]))).toEqual([]);
  });

  test("the warning names the command and its block, on the line where the hint shows it", () => {
    const source = lab(NS_ADD, ["The check wants a namespace.\nMake it with `ip netns add rl-red`.", TOOL_THEN_COMMAND]);
    const lines = source.split("\n");
    const [hit] = hits(source);
    expect(lines[hit!.line - 1]).toContain("`ip netns add rl-red`");
    expect(hit!.message).toContain(`gives away the step's command \`ip netns add rl-red\` (block at line ${lines.indexOf("```sh") + 1})`);
  });

  test("the text of the hint may start on the [!TIP] line; the line is still right", () => {
    const source = lab(NS_ADD, [TOOL_THEN_COMMAND]).replace("> [!TIP]\n> `ip-netns(8)`", "> [!TIP] `ip netns add rl-red`, or see\n> `ip-netns(8)`");
    const [hit] = hits(source);
    expect(source.split("\n")[hit!.line - 1]).toContain("[!TIP] `ip netns add rl-red`");
  });

  test("one warning per step, however many commands the rung gives", () => {
    expect(hits(lab(sh("ip netns add rl-red\nip netns add rl-blue"), ["`ip netns add rl-red`, `ip netns add rl-blue`"]))).toHaveLength(1);
  });
});

describe("the pieces", () => {
  test.each([
    ["ip   netns\tadd  rl-red ", "ip netns add rl-red"],
    ["a | b && c ; d", "a|b&&c;d"],
    ["echo x >  f 2> /dev/null", "echo x>f 2>/dev/null"],
    ["ip link add a \\\n  type dummy", "ip link add a type dummy"],
    ["$ ip netns list", "ip netns list"],
  ])("normaliseCommand(%j) = %j", (line, want) => {
    expect(normaliseCommand(line)).toBe(want);
  });

  test("hintCode: spans and fence lines, with the Markdown line each starts on", () => {
    const md = "Use `ip netns`\nand `ip link\nset x up`.\n\n```sh\nip a \\\n  b\necho `not a span`\n```\n\nA ``span with ` inside``.";
    expect(hintCode(md)).toEqual([
      { text: "ip netns", line: 0 },
      { text: "ip link set x up", line: 1 },
      { text: "ip a b", line: 5 },
      { text: "echo `not a span`", line: 7 },
      { text: "span with ` inside", line: 10 },
    ]);
  });

  test("a code span does not run on past a blank line, and a stray backtick hides no later span", () => {
    expect(hintCode("a ` stray\n\n`ip netns add x`").map((c) => c.text)).toEqual(["ip netns add x"]);
  });

  test.each([
    ["ip link set x up", "ip link set x up", true],
    ["ip netns add x && ip netns list", "ip netns add x", true],
    ["sudo ip netns add x", "ip netns add x", true],
    ["ip netns add xy", "ip netns add x", false],
    ["myip netns add x", "ip netns add x", false],
  ])("showsCommand(%j, %j) = %s", (code, command, want) => {
    expect(showsCommand(code, command)).toBe(want);
  });

  test.each<[string, boolean]>([
    ["ip -br link show rl-h1", true],
    ["ip -n rl-red -br addr", true],
    ["ip netns list | grep rl", true],
    ["ip route get 10.0.0.1", true],
    ["ip netns exec rl-red ping -c1 127.0.0.1 >/dev/null 2>&1", true],
    ["findmnt -no PROPAGATION /", true],
    ["cat /proc/self/uid_map", true],
    ["nft list chain bridge rl forward", true],
    ["iptables -L FORWARD -v -n", true],
    ["machinectl list-images", true],
    ["tar -tvf rootfs.tar", true],
    ["mount", true],
    ["ip link set rl-h1 up", false],
    ["ip netns exec rl-red ip link set lo up", false],
    ["mount -t proc proc /proc", false],
    ["hostname rl-box", false],
    ["echo deny > /proc/1/setgroups", false],
    ["ls | tee list.txt", false],
    ["sed -i s/a/b/ f", false],
    ["find . -delete", false],
    ["iptables -A FORWARD -j ACCEPT", false],
    ["machinectl start rl-web", false],
    [". ./functions.sh", false],
    ["X=1", false],
  ])("looksOnly(%j) = %s", (line, want) => {
    expect(looksOnly(line)).toBe(want);
  });
});
