// The condition of a failed check, found in its line: the words of a `[ … ]` / `test` comparison. Pure.
import { describe, expect, it } from "vitest";
import { comparedOperands, failedLineText, probeValues, shellWords, valuesProbe } from "../../src/guided/check-values.js";
import { rootlabCommand } from "../../src/host/paths.js";
import type { CheckRun } from "../../src/exec/lab-run.js";

describe("comparedOperands", () => {
  it.each<[string, string, { operands: string[]; op: string } | undefined]>([
    ["a readlink compared with a path", '[ "$(readlink "/proc/$PID/root")" = "$LAB_DIR/root" ]', { operands: ['"$(readlink "/proc/$PID/root")"', '"$LAB_DIR/root"'], op: "=" }],
    ["a count", "[ \"$(ip -o link | wc -l)\" -eq 1 ]", { operands: ['"$(ip -o link | wc -l)"', "1"], op: "-eq" }],
    ["test with a unary operator", 'test -s "$LAB_DIR/alpine.tar.gz"', { operands: ['"$LAB_DIR/alpine.tar.gz"'], op: "-s" }],
    ["negated", '! [ -e "$R/proc/1" ]', { operands: ['"$R/proc/1"'], op: "-e" }],
    ["followed by && …", '[ "$a" != "$b" ] && echo ok', { operands: ['"$a"', '"$b"'], op: "!=" }],
    ["not a test", "grep -q foo bar", undefined],
    ["a test with -a", '[ "$a" = 1 -a "$b" = 2 ]', undefined],
  ])("%s", (_n, line, expected) => {
    expect(comparedOperands(line)).toEqual(expected);
  });

  it("keeps quotes, $(…) and ${…} inside their word", () => {
    expect(shellWords(`a "b c" 'd e' $(f g) \${h:-i j} k\\ l`)).toEqual(["a", '"b c"', "'d e'", "$(f g)", "${h:-i j}", "k\\ l"]);
  });

  it("finds the failing line of a check by the lab line the engine reports", () => {
    const run = { block: { code: "# comment\ntest -d /x\n[ 1 = 2 ]", codeLine: 40 }, result: { kind: "ok", exitCode: 1, failedLine: 42 } } as unknown as CheckRun;
    expect(failedLineText(run)).toBe("[ 1 = 2 ]");
  });
});

describe("rootlabCommand: rootlab named as the user ran it", () => {
  it.each<[string, string, Record<string, string>, string]>([
    ["on the PATH", "/usr/local/bin/rootlab", { PATH: "/usr/bin:/usr/local/bin" }, "rootlab"],
    ["under npx", "/srv/rootlab/node_modules/.bin/rootlab", { npm_command: "exec", PATH: "/usr/bin" }, "npx rootlab"],
    ["a bin not on the PATH", "/opt/x/bin/rootlab", { PATH: "/usr/bin" }, "/opt/x/bin/rootlab"],
    ["node bin/rootlab.js", `${process.cwd()}/bin/rootlab.js`, { PATH: "/usr/bin" }, "node bin/rootlab.js"],
  ])("%s", (_n, argv1, env, expected) => {
    expect(rootlabCommand(argv1, env)).toBe(expected);
  });
});

describe("the values a failed comparison saw (its check's earlier lines run first)", () => {
  it("runs the lines before the failing one, in a subshell, then prints the operands after a marker", () => {
    const code = 'inside=$(cat /proc/x)\nnf=1\n[ "$inside" -eq 0 ]';
    const probe = valuesProbe(code, 2, ['"$inside"', "0"]);
    expect(probe).toBe('(\ninside=$(cat /proc/x)\nnf=1\nprintf \'%s\\n\' __rootlab_values__ "$inside" 0\n)');
    // A first line fails: nothing runs before it.
    expect(valuesProbe("[ -e /x ]", 0, ["/x"])).toBe("(printf '%s\\n' __rootlab_values__ /x)");
  });

  it.each<[string, string, number, string[] | undefined]>([
    ["values only", "__rootlab_values__\n5\n0\n", 2, ["5", "0"]],
    ["earlier lines printed too", "noise\n__rootlab_values__\n\n0\n", 2, ["", "0"]],
    ["a value with the marker's look before it", "__rootlab_values__\n__rootlab_values__\nx\n", 1, ["x"]],
    ["a value missing", "__rootlab_values__\n5\n", 2, undefined],
    ["no marker", "5\n0\n", 2, undefined],
  ])("%s", (_n, stdout, count, want) => {
    expect(probeValues(stdout, count)).toEqual(want);
  });
});
