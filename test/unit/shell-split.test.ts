import { describe, expect, it } from "vitest";
import { splitShell } from "../../src/shell/split.js";

/** [name, code, expected commands as [line, text]] */
const CASES: [string, string, [number, string][]][] = [
  ["one command", "echo hi", [[0, "echo hi"]]],
  ["lines", "a\nb\n\nc", [[0, "a"], [1, "b"], [3, "c"]]],
  ["semicolons split", "a; b ;c", [[0, "a"], [0, "b"], [0, "c"]]],
  ["comment lines are dropped", "# intro\na # trailing\n  # indented\nb", [[1, "a # trailing"], [3, "b"]]],
  ["# inside a word is not a comment", "echo a#b; echo c", [[0, "echo a#b"], [0, "echo c"]]],
  ["single quotes", "echo 'a; b\nc'\nd", [[0, "echo 'a; b\nc'"], [2, "d"]]],
  ["double quotes with escapes", 'echo "a \\" ; b\nc"\nd', [[0, 'echo "a \\" ; b\nc"'], [2, "d"]]],
  ["backslash escapes ;", "echo a\\; b\nc", [[0, "echo a\\; b"], [1, "c"]]],
  ["line continuation", "echo a \\\n  b\nc", [[0, "echo a \\\n  b"], [2, "c"]]],
  ["trailing pipe", "ls |\n  wc -l\nx", [[0, "ls |\n  wc -l"], [2, "x"]]],
  ["trailing && and ||", "a &&\nb ||\nc\nd", [[0, "a &&\nb ||\nc"], [3, "d"]]],
  ["& does not split", "sleep 1 & echo x\ny", [[0, "sleep 1 & echo x"], [1, "y"]]],
  ["$( ) with newlines and )", "x=$(echo a\necho ')'\n)\ny", [[0, "x=$(echo a\necho ')'\n)"], [3, "y"]]],
  ["$( ) holding a case", "x=$(case a in a) echo y;; esac)\nz", [[0, "x=$(case a in a) echo y;; esac)"], [1, "z"]]],
  ["backticks", "x=`echo a;\necho b`\ny", [[0, "x=`echo a;\necho b`"], [2, "y"]]],
  ["${ } with }", 'echo ${x:-"}"}; y', [[0, 'echo ${x:-"}"}'], [0, "y"]]],
  ["arithmetic", "echo $(( (1+2)*3 )); y", [[0, "echo $(( (1+2)*3 ))"], [0, "y"]]],
  ["(( )) command", "((i=1+2))\ny", [[0, "((i=1+2))"], [1, "y"]]],
  ["here-document", "cat <<EOF\na; b\nEOF\nc", [[0, "cat <<EOF\na; b\nEOF"], [3, "c"]]],
  ["here-document with ; after", "cat <<EOF; echo x\nbody\nEOF\nc", [[0, "cat <<EOF; echo x\nbody\nEOF"], [3, "c"]]],
  ["quoted delimiter", "cat <<'E O'\n$x\nE O\nc", [[0, "cat <<'E O'\n$x\nE O"], [3, "c"]]],
  ["<<- strips tabs", "cat <<-EOF\n\tbody\n\tEOF\nc", [[0, "cat <<-EOF\n\tbody\n\tEOF"], [3, "c"]]],
  ["two here-documents", "cat <<A <<\"B\"\n1\nA\n2\nB\nc", [[0, "cat <<A <<\"B\"\n1\nA\n2\nB"], [5, "c"]]],
  ["here-string is not a here-document", "cat <<<hi\nc", [[0, "cat <<<hi"], [1, "c"]]],
  ["if/fi", "if true; then\n  a\nelse b; fi\nc", [[0, "if true; then\n  a\nelse b; fi"], [3, "c"]]],
  ["nested loops", "for i in 1 2; do\n while false; do :; done\ndone\nc", [[0, "for i in 1 2; do\n while false; do :; done\ndone"], [3, "c"]]],
  ["until", "until true\ndo\n  x\ndone; y", [[0, "until true\ndo\n  x\ndone"], [3, "y"]]],
  ["for (( ))", "for ((i=0;i<2;i++)); do\n echo $i\ndone\nz", [[0, "for ((i=0;i<2;i++)); do\n echo $i\ndone"], [3, "z"]]],
  ["case with ;; and (pattern)", "case $x in\n (a|b) echo 1;;\n *) echo 2\nesac\nz", [[0, "case $x in\n (a|b) echo 1;;\n *) echo 2\nesac"], [4, "z"]]],
  ["keywords as arguments", "echo if then fi done\nz", [[0, "echo if then fi done"], [1, "z"]]],
  ["brace group", "{ a\n  b; }\nc", [[0, "{ a\n  b; }"], [2, "c"]]],
  ["coproc NAME { … } is one command", "coproc NAME { cat; }\nc", [[0, "coproc NAME { cat; }"], [1, "c"]]],
  ["coproc { … } and coproc NAME ( … )", "coproc { a; b; } 2>&1\ncoproc N ( a; b ); c", [[0, "coproc { a; b; } 2>&1"], [1, "coproc N ( a; b )"], [1, "c"]]],
  ["coproc NAME while …; done", "coproc N while read x; do :; done\nc", [[0, "coproc N while read x; do :; done"], [1, "c"]]],
  ["coproc with a simple command: no NAME", "coproc cat; c", [[0, "coproc cat"], [0, "c"]]],
  ["brace expansion is a word", "echo {a,b}\nc", [[0, "echo {a,b}"], [1, "c"]]],
  ["subshell", "(cd /; ls\n)\nc", [[0, "(cd /; ls\n)"], [2, "c"]]],
  ["function f() { }", "f() {\n  echo 1\n}\nf", [[0, "f() {\n  echo 1\n}"], [3, "f"]]],
  ["function body on the next line", "f()\n{\n  echo 1\n}\nf", [[0, "f()\n{\n  echo 1\n}"], [4, "f"]]],
  ["function keyword", "function g() {\n x\n}\nfunction h {\n y\n}", [[0, "function g() {\n x\n}"], [3, "function h {\n y\n}"]]],
  ["array assignment", "a=(1 2\n3)\nb", [[0, "a=(1 2\n3)"], [2, "b"]]],
  ["redirections", "echo a 2>&1 >/dev/null; b &>x\nc", [[0, "echo a 2>&1 >/dev/null"], [0, "b &>x"], [1, "c"]]],
  ["process substitution", "diff <(echo a\n) <(echo b)\nc", [[0, "diff <(echo a\n) <(echo b)"], [2, "c"]]],
  ["$'…' strings", "echo $'a\\'b;'\nc", [[0, "echo $'a\\'b;'"], [1, "c"]]],
  ["blank and empty", "\n\n  \n", []],
  ["a [[ ]] test", "[[ -n $x && ( a < b ) ]] && echo y\nz", [[0, "[[ -n $x && ( a < b ) ]] && echo y"], [1, "z"]]],
];

describe("splitShell", () => {
  it.each(CASES)("%s", (_name, code, expected) => {
    const result = splitShell(code);
    expect(result.commands.map((c) => [c.line, c.text])).toEqual(expected);
    expect(result.incomplete).toBeUndefined();
  });
});

/** [name, code, commands before the incomplete one, line reported, what mentions] */
const INCOMPLETE: [string, string, number, number, string][] = [
  ["unterminated single quote", "a\necho 'x\nb", 1, 1, "single-quoted"],
  ["unterminated double quote", "echo \"x", 0, 0, "double-quoted"],
  ["if without fi", "a\nif true; then\n b", 1, 1, "if without fi"],
  ["missing done", "while true; do x", 0, 0, "done"],
  ["unterminated here-document", "a\ncat <<EOF\nbody", 1, 1, "here-document"],
  ["unterminated $(", "x=$(echo", 0, 0, "$("],
  ["unterminated case", "case a in\n a) x;;", 0, 0, "esac"],
  ["unterminated backtick", "x=`y", 0, 0, "`"],
];

describe("splitShell on incomplete text", () => {
  it.each(INCOMPLETE)("%s", (_name, code, before, line, what) => {
    const result = splitShell(code);
    expect(result.incomplete?.line).toBe(line);
    expect(result.incomplete?.what).toContain(what);
    // Everything from the last safe boundary on stays one command, so the shell sees it whole.
    expect(result.commands.length).toBe(before + 1);
    const last = result.commands[result.commands.length - 1];
    // An open here-document is closed by its end word (below); everything else is left for the shell to report.
    if (what !== "here-document") expect(code.endsWith(last?.text ?? "<none>")).toBe(true);
  });
});

/** [name, code, the last command's text]: the end words of the here-documents left open follow the block's text. */
const OPEN_HEREDOCS: [string, string, string][] = [
  ["one", "a\ncat <<EOF\nbody", "cat <<EOF\nbody\nEOF"],
  ["quoted, no body", "cat <<'E O'", "cat <<'E O'\nE O"],
  ["<<- with tabs", "cat <<-EOF\n\tbody\n", "cat <<-EOF\n\tbody\nEOF"],
  ["the second of two", "cat <<A <<\"B\"\n1\nA\n2", "cat <<A <<\"B\"\n1\nA\n2\nB"],
  ["both of two", "cat <<A <<B\n1", "cat <<A <<B\n1\nA\nB"],
  ["a line like rootlab's own after it", "cat <<fi\nelse", "cat <<fi\nelse\nfi"],
];

describe("splitShell closes a here-document the block leaves open (a script's end closes it)", () => {
  it.each(OPEN_HEREDOCS)("%s", (_name, code, text) => {
    const result = splitShell(code);
    expect(result.incomplete?.what).toBe("here-document");
    expect(result.commands[result.commands.length - 1]?.text).toBe(text);
  });
});
