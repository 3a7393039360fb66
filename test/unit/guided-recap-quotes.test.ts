// Which lines of output the explanation talks about (src/guided/output-recap.ts), and a typed command shown the
// shell's way in the recap. A new-user trial at 80×30: the recap of user-namespaces step 2 left out the lines its
// explanation quotes (`hostname rlus-box` worked: its output; `Uid:` from the host).
import { describe, expect, it } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { commandRows, outputRecap, quotes } from "../../src/guided/output-recap.js";
import { plainStyle } from "../../src/term/style.js";
import { displayWidth } from "../../src/term/width.js";

const view = { style: plainStyle(true), width: 80 };

describe("quotes: does a word of the explanation point at a line of output", () => {
  const code = ["unshare --uts sh -c 'hostname rlus-box; hostname'\nhostname"];
  it.each<[string, string, string, boolean]>([
    ["the line contains it", "/etc/shadow", "cat: /etc/shadow: Permission denied", true],
    ["a command quoted as typed: its argument alone is its output", "hostname rlus-box", "rlus-box", true],
    ["…but not a line that only mentions it", "hostname rlus-box", "rlus-box is the name", false],
    ["…nor the command's own name", "hostname rlus-box", "hostname", false],
    ["words not typed are not taken apart", "box one", "one", false],
    ["nothing in common", "CapEff", "uid=0(root)", false],
  ])("%s", (_name, ref, line, want) => {
    expect(quotes(ref, line, code)).toBe(want);
  });
});

describe("commandRows: a typed command wider than the recap", () => {
  it.each<[string, string, number, string[]]>([
    ["fits: one row", "$ ls -l", 80, ["  $ ls -l"]],
    ["between words, with a continuation", "$ ip link add rlt-a type veth peer name rlt-b", 30, ["  $ ip link add rlt-a type \\", "        veth peer name rlt-b"]],
    ["a quoted argument stays whole", '$ echo "the host sees PID 4242" done', 30, ["  $ echo \\", '    "the host sees PID 4242" \\', "        done"]],
  ])("%s", (_name, text, width, rows) => {
    expect(commandRows(text, width)).toEqual(rows);
    for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(width);
  });
});

const USERNS_STEP_2 = [
  "---", "format: 1", "id: t", "title: T", "---", "", "# T", "", "## Root inside: unshare -Ur", "",
  "```sh enter=u", "as_student unshare -Ur bash", "```", "",
  "```sh session=u", "id", "cat /proc/self/uid_map", "grep ^CapEff /proc/self/status", "```", "",
  "```sh session=u exit=1", "cat /etc/shadow", "```", "",
  "```sh session=u exit=1", 'mknod "$LAB_DIR/home/rlus-null" c 1 3', "```", "",
  "```sh session=u", "unshare --uts sh -c 'hostname rlus-box; hostname'", "hostname", "```", "",
  "```sh", `grep -E '^(Uid|Gid|CapEff)' "/proc/$ROOTLAB_SESSION_U_PID/status"`, `readlink "/proc/$ROOTLAB_SESSION_U_PID/ns/user" /proc/self/ns/user`, "```", "",
  "```sh verify", "# u is root inside", "true", "```", "",
  "`CapEff: 000001ffffffffff` — every capability, where the student's own shell on the host has none. But each",
  "capability is checked **against the user namespace that owns the object**. The host's files, device numbers",
  "and the host's UTS namespace belong to the initial user namespace, where this shell is the student's uid with",
  "nothing: the same EACCES for `/etc/shadow`, the same EPERM for `mknod`. A UTS namespace created *inside* belongs to the",
  "new user namespace, so there root's `CAP_SYS_ADMIN` counts and `hostname rlus-box` worked; the shell's own",
  "hostname (the last line) is still the host's. From the host, `Uid:` shows the student's uid and `CapEff`",
  "shows the full mask — relative to a namespace that owns nothing of the host.",
].join("\n");

// labs/12-user-namespaces.md's step 2 as a new-user trial saw it (the lab's text is its authors' to change).
describe("user-namespaces step 2 at 80×30, run for the learner", () => {
  const parsed = parseLab(USERNS_STEP_2, "t.md");
  if (!parsed.ok) throw new Error(`the step does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  const step = parsed.lab.steps[0]!;
  const commands = step.blocks.filter((b) => b.role === "command");
  const outputs = [
    "",
    "uid=0(root) gid=0(root) groups=0(root),65534(nogroup)\n         0        997          1\nCapEff:\t000001ffffffffff\n",
    "cat: /etc/shadow: Permission denied\n",
    "mknod: /var/tmp/rootlab/user-namespaces-Ab12Cd/home/rlus-null: Operation not permitted\n",
    "rlus-box\ndebian12\n",
    "Uid:\t997\t997\t997\t997\nGid:\t997\t997\t997\t997\nCapEff:\t000001ffffffffff\n/proc/4242/ns/user:[4026532301]\nuser:[4026531837]\n",
  ];
  const transcript = {
    outputOf: (line: number) => outputs[commands.findIndex((b) => b.line === line)] ?? "",
    failedAsExpected: (line: number) => commands.find((b) => b.line === line)?.exit !== 0,
  };
  // The rows left beside the explanation's one paragraph at 80×30 (src/guided/explanation-screen.ts).
  // In 13 rows one of the lines it quotes as typed cannot fit: /etc/shadow's error goes before `hostname rlus-box`'s.
  it.each([14, 13])("in %i rows: the u shell's CapEff, rlus-box, the host's Uid: and CapEff (and /etc/shadow in 14)", (rows) => {
    const recap = outputRecap(step, transcript, view, rows);
    expect(recap.length).toBeLessThanOrEqual(rows);
    const text = recap.join("\n");
    expect(text).toMatch(/Command 2\/6 printed[^\n]*\n {2}CapEff: 000001ffffffffff/);
    if (rows === 14) expect(text).toContain("cat: /etc/shadow: Permission denied");
    expect(text).toMatch(/^ {2}rlus-box$/m);
    expect(text).toMatch(/^ {2}Uid: +997/m);
    expect(text.match(/CapEff: 000001ffffffffff/g)).toHaveLength(2);
  });
});
