// One shell lexer serves the engine (a block's top-level commands) and lint (every simple command): a shared
// corpus runs through both, against bash itself as the oracle. bash runs each snippet with a DEBUG trap under
// extdebug that prints every top-level simple command and then SKIPS it, so nothing in the corpus ever runs.
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { simpleCommands } from "../../src/shell/commands.js";
import { splitShell } from "../../src/shell/split.js";
import { unquoteWord } from "../../src/shell/commands.js";
import { braceExpand } from "../../src/shell/brace-expansion.js";
import { parseLab } from "../../src/format/parse.js";
import { lintLab } from "../../src/lint/lint.js";
import { random } from "../helpers/random.js";

/** Commands bash itself would run at the top level: [0-based line, first word]. */
function bashSees(code: string): [number, string][] {
  // A skipped `while` condition counts as true: stop after enough commands so such a loop ends.
  const trap = 'if ((++rl_n > 400)); then exit 0; fi; printf "%s\\t%s\\n" "$LINENO" "$BASH_COMMAND" >&3; false';
  const r = spawnSync("/bin/bash", ["-c", `exec 3>&1 1>/dev/null 2>/dev/null; shopt -s extdebug; trap '${trap.replace(/'/g, "'\\''")}' DEBUG\n${code}`], {
    encoding: "utf8",
    timeout: 3000,
    env: { PATH: "/nonexistent" },
  });
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t"))
    .filter(([, cmd]) => cmd !== undefined && !cmd.startsWith("exec 3>&1") && !cmd.startsWith("shopt -s extdebug"))
    .map(([line, cmd]) => [Number(line) - 2, firstWord(cmd ?? "")] as [number, string])
    .filter(([line, word]) => line >= 0 && word !== "");
}

/** The command's name as bash shows it; "" for what is no simple command (assignments, case, (( )), [[ ]], for). */
function firstWord(cmd: string): string {
  const text = cmd.trim();
  // A command that starts with a redirection or `<(…)` has no name to compare (its own commands are compared apart).
  if (/^([A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=|case\s|\(\(|\[\[|for\s|select\s|[0-9]*[<>])/.test(text)) return "";
  return unquoteWord(text.split(/\s+/)[0] ?? "");
}

/** Lint has a command on that line (or one that started before it and runs on) with that name. */
function lintHas(lint: ReturnType<typeof simpleCommands>, line: number, word: string): boolean {
  return lint.some((c) => {
    const name = unquoteWord(c.words[0] ?? "");
    if (c.line > line || name === "") return false;
    // A name built by expansions (`$((1))`, "$x") is compared by where it starts.
    if (/["']/.test(word)) return true; // bash shows it quoted: any command on the line is it
    return /[$`]/.test(word) || /[$`]/.test(name) ? name.startsWith(word.slice(0, 2)) || word.startsWith(name.slice(0, 2)) : name === word;
  });
}

const CORPUS: [string, string][] = [
  ["plain", "ip link add a type dummy\nip link del a"],
  ["quoted here-doc delimiter, part quoted", "cat <<E'O'F\n$(not run)\nEOF\nip route del default"],
  ["double-quoted delimiter", 'cat <<"EOF"\nip link del eth0\nEOF\necho after'],
  ["backslash delimiter", "cat <<\\EOF\nrm -rf /\nEOF\necho after"],
  ["<<- strips tabs", "cat <<-EOF\n\tip link del eth0\n\tEOF\necho after"],
  ["two here-docs on one line", "cat <<A <<B\nx\nA\ny\nB\necho after"],
  ["delimiter hidden by a continuation", "cat <<EOF\nfoo\\\nEOF\nbar\nEOF\necho after"],
  ["delimiter made by a continuation", "cat <<EOF\nfoo\nEO\\\nF\necho inside\nEOF\necho after"],
  ["here-doc then pipe", "cat <<EOF | wc -l\na\nEOF\necho after"],
  ["here-string", "cat <<< 'ip link del eth0'\necho after"],
  ["line continuation", "ip link \\\n  add a type dummy\necho after"],
  ["comments", "# ip link del eth0\necho a # ; ip link del eth0\necho '#not a comment'"],
  ["case", "case x in\n  a) echo a ;;\n  x|y) echo x ;;\nesac\necho after"],
  ["function", "f() {\n  echo in f\n}\nf\nfunction g { echo g; }\ng"],
  ["subshell and group", "( cd /tmp; echo sub )\n{ echo group; }\necho after"],
  ["if/while/for", "if true; then echo t; fi\nwhile false; do echo w; done\nfor i in a b; do echo $i; done\necho after"],
  ["command substitution", 'x=$(echo "a)b")\necho "$x" `echo b`\necho after'],
  ["process substitution", "diff <(echo a) <(echo b)\necho after"],
  ["arithmetic", "echo $(( 1 + (2 * 3) ))\n(( x = 1 ))\necho after"],
  ["array assignment", "a=(1 2 3)\necho ${a[1]}"],
  ["fd redirections", "exec 3>&1\necho hi 2>/dev/null >&3\nexec 3>&-\necho after"],
  ["backgrounded", "sleep 1 &\nwait\necho after"],
  ["nsenter back to the host", "nsenter -t 1 -n ip link set eth0 down\necho after"],
  ["semicolons and operators", "true && echo a || echo b; echo c | cat\necho after"],
  ["ANSI-C quoted command name", "$'\\x65cho' hi\necho after"],
  ["brace-expanded command name", "{echo,} hi\necho after"],
  ["for list with braces and a default", "for i in a{1,2} ${X:-b}; do echo $i; done\necho after"],
  ["process substitution sourced", "source <(echo echo hi)\necho after"],
  ["here-string to a shell", "sh <<< 'echo hi'\necho after"],
  ["a script piped into a shell", "echo 'echo hi' | sh\necho after"],
  ["coproc with a NAME and a compound command", "coproc NAME { echo hi; }\nwait\ncoproc cat </dev/null\nwait\necho after"],
  ["group into a file", "{ printf 'a\\n'; cat /dev/null; } > /dev/null\necho after"],
];

describe("the engine and lint read the same commands as bash", () => {
  test.each(CORPUS)("%s", (_name, code) => {
    const lint = simpleCommands(code);
    const seen = bashSees(code);
    expect(seen.length).toBeGreaterThan(0);
    for (const [line, word] of seen) {
      // Every command bash runs is a command to lint, on the line bash says.
      expect(lintHas(lint, line, word), `bash runs \`${word}\` at line ${line + 1}`).toBe(true);
    }
    // The engine's top-level commands cover every line bash runs a top-level command on.
    const split = splitShell(code);
    expect(split.incomplete).toBeUndefined();
    for (const [line] of seen) {
      expect(split.commands.some((c) => c.line <= line && line <= c.line + c.text.split("\n").length - 1), `line ${line + 1}`).toBe(true);
    }
  });
});

/** A lab around one host block. */
const lab = (code: string) => `---\nid: t\nformat: 1\n---\n# T\n\n## Step\n\nText.\n\n\`\`\`sh\n${code}\n\`\`\`\n\n\`\`\`sh verify\n# ok\ntrue\n\`\`\`\n`;

function safetyCodes(code: string): string[] {
  const parsed = parseLab(lab(code), "t.md");
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return lintLab(parsed.lab, lab(code)).filter((d) => d.code.startsWith("safety/")).map((d) => d.code);
}

describe("the safety gate sees commands wherever bash runs them", () => {
  test.each([
    ["after a quoted-delimiter here-doc", "cat <<E'O'F\nx\nEOF\nip link set eth0 down", "safety/uplink"],
    ["after a here-doc whose delimiter a continuation hid", "cat <<EOF\nfoo\\\nEOF\nbar\nEOF\nip route del default", "safety/default-route"],
    ["in a here-doc fed to a shell", "bash <<'EOF'\nip link set eth0 down\nEOF", "safety/uplink"],
    ["in a here-doc fed to sh through a wrapper", "sudo sh <<EOF\nip route flush table main\nEOF", "safety/default-route"],
    ["in an unquoted here-doc's substitution", "cat <<EOF\n$(ip link set eth0 down)\nEOF", "safety/uplink"],
    ["in $( ) inside double quotes", 'echo "$(ip link set eth0 down)"', "safety/uplink"],
    ["in backticks inside double quotes", 'echo "`ip link set eth0 down`"', "safety/uplink"],
    ["in ${ :- $( ) }", 'echo "${x:-$(ip link set eth0 down)}"', "safety/uplink"],
    ["in $(( $( ) ))", "echo $(( $(ip link set eth0 down) + 1 ))", "safety/uplink"],
    ["in process substitution", "cat <(ip route del default)", "safety/default-route"],
    ["in eval", "eval 'ip link set eth0 down'", "safety/uplink"],
    ["in a for list's substitution", "for i in $(ip link set eth0 down); do :; done", "safety/uplink"],
    ["abbreviated ip words", "ip l s eth0 down", "safety/uplink"],
    ["abbreviated route delete", "ip r d default", "safety/default-route"],
    ["nsenter into PID 1", "unshare -n nsenter -t 1 -n ip link set eth0 down", "safety/uplink"],
    ["nsenter through /proc/1/ns", "unshare -n nsenter --net=/proc/1/ns/net ip link set eth0 down", "safety/uplink"],
    ["after a case", "case x in x) echo ;; esac; ip link set eth0 down", "safety/uplink"],
  ])("%s", (_name, code, rule) => {
    expect(safetyCodes(code)).toContain(rule);
  });

  test.each([
    ["a netns of the lab's own", "ip netns add rl-a\nip netns exec rl-a ip link set eth0 down"],
    ["the lab's own process", 'nsenter -t "$ROOTLAB_SESSION_BOX_PID" -n ip link set eth0 down'],
    ["a quoted here-doc that only prints", "cat <<'EOF'\nip link set eth0 down\nEOF"],
  ])("no false alarm: %s", (_name, code) => {
    expect(safetyCodes(code)).toEqual([]);
  });
});


describe("seeded fuzzing: random pieces of shell", () => {
  const PIECES = ["$'\\x69p' a", "{ip,} a", "x=eth0", "for i in a b; do", "done", "<(echo a)", "<<< 'a'", "| sh", "echo a", "cat <<EOF\nx\nEOF", "cat <<'Q'\n$(y)\nQ", "'", '"', "`", "$(", ")", "(", "{ ", "}", ";", "&&", "|", "\\\n", "\n", "# c", "case x in", "esac", "<<", "${", "if true; then", "fi", "<(", "$((", "))", "2>&1", "&"];
  test("the lexer never throws and lint never loses a command bash runs", () => {
    const next = random(20261206);
    for (let n = 0; n < 300; n++) {
      const k = 1 + Math.floor(next() * 8);
      const code = Array.from({ length: k }, () => PIECES[Math.floor(next() * PIECES.length)]).join(" ") + "\nip link del rl-fuzz";
      expect(() => splitShell(code), code).not.toThrow();
      const lint = simpleCommands(code);
      const split = splitShell(code);
      if (split.incomplete) continue; // bash would reject the text: nothing runs
      const syntaxOk = spawnSync("/bin/bash", ["-n", "-c", code]).status === 0;
      if (!syntaxOk) continue;
      for (const [line, word] of bashSees(code)) {
        expect(lintHas(lint, line, word), `seed case ${n}: bash runs \`${word}\` at line ${line + 1} of:\n${code}`).toBe(true);
      }
    }
  });
});

/** What bash makes of words: one line per resulting word (`printf '%s\n' WORDS`), run with no expansions to resolve. */
function bashWords(words: string): string[] {
  const r = spawnSync("/bin/bash", ["-c", `printf '%s\\n' ${words}`], { encoding: "utf8", timeout: 3000, env: { PATH: "/usr/bin:/bin" } });
  return r.stdout.split("\n").slice(0, -1);
}

/** What the safety gate makes of them: brace expansion, then quotes, escapes and $'…' removed. */
const gateWords = (words: string): string[] =>
  simpleCommands(`printf %s ${words}`)[0]?.raw.slice(2).flatMap((w) => braceExpand(w).map(unquoteWord)) ?? [];

describe("the gate reads words as bash does ($'…', quotes, escapes, braces)", () => {
  test.each([
    ["$'\\x69p'"],
    ["$'\\151p' $'\\u0065th0' $'\\U00000065th0' $'e\\th0'"],
    ["$'\\cA' $'a\\'b' $'\\e[0m' $'\\x6'9 $'a\\0b'"],
    ["\\i\\p 'i'\"p\" \"e\\th0\" e''th0 $\"eth0\""],
    ["{ip,} {a,b}{1,2} rl-v{1..3} x{a..c} {x} {,}"],
    ["'{a,b}' \\{a,b\\} \"{a,b}\" a{b,\"c d\"}"],
  ])("%s", (words) => {
    expect(gateWords(words)).toEqual(bashWords(words));
  });

  test("seeded fuzzing: random $'…' escapes decode as bash decodes them", () => {
    const next = random(20261207);
    const ESCAPES = ["\\x", "\\u", "\\U", "\\", "\\c", "\\0", "\\1", "\\7", "\\n", "\\t", "\\'", '\\"', "\\\\", "\\e", "\\?", "\\z"];
    const CHARS = ["0", "1", "6", "9", "a", "f", "F", "g", "p", "e", "7", "x", " "];
    const pick = <T,>(list: T[]): T => list[Math.floor(next() * list.length)] as T;
    for (let n = 0; n < 60; n++) {
      const body = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(ESCAPES) + Array.from({ length: Math.floor(next() * 4) }, () => pick(CHARS)).join("")).join("");
      const word = `$'${body}'`;
      // Compared byte for byte as bash prints them (\xHH above 0x7f is one byte in bash: compare in latin1).
      const run = spawnSync("/bin/bash", ["-c", `set -o pipefail; printf '%s' ${word} | od -An -tx1`], { encoding: "utf8", env: { PATH: "/usr/bin:/bin", LC_ALL: "C.UTF-8" } });
      if (run.status !== 0) continue; // an unterminated $'…' (the generator's `\'`): bash rejects it, nothing runs
      const bash = run.stdout.replace(/\s+/g, "");
      // Byte escapes (\xHH, \nnn) are bytes in bash, \u/\U characters: with both above 0x7f the text is ambiguous.
      const text = unquoteWord(word);
      const unicode = /\\[uU]/.test(body);
      if (unicode && /[\x80-\xff]/.test(text)) continue;
      const ours = Buffer.from(text, unicode ? "utf8" : "latin1").toString("hex");
      expect(ours, `seed case ${n}: ${word}`).toBe(bash);
    }
  });
});
