import { afterEach, describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConsoleReporter } from "../../src/report/console.js";
import { createStyle, plainStyle } from "../../src/term/style.js";
import { EVENTS } from "./report-events.js";
import type { RunEvent } from "../../src/exec/types.js";

class Capture {
  text = "";
  isTTY?: boolean;
  columns = 80;
  constructor(isTTY?: boolean) {
    if (isTTY !== undefined) this.isTTY = isTTY;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function render(events: RunEvent[], opts: { verbose?: boolean; unicode?: boolean } = {}): Promise<string> {
  const out = new Capture(false);
  const reporter = new ConsoleReporter({ stream: out, verbose: Boolean(opts.verbose), style: plainStyle(opts.unicode ?? true) });
  for (const e of events) reporter.onEvent(e);
  await reporter.close();
  return out.text;
}

describe("console reporter", () => {
  afterEach(() => vi.useRealTimers());

  it("renders a whole run (colour off)", async () => {
    await expect(await render(EVENTS)).toMatchFileSnapshot("./__snapshots__/report-console.txt");
  });

  it("names what a failing block needs to be fixed", async () => {
    const text = await render(EVENTS);
    expect(text).toContain("▶ 2/3 Count the processes");
    expect(text).toContain("✗ ps -o pid,comm (29 ms)");
    expect(text).toContain("why: output does not match the expect block at labs/expect-demo.md:24");
    expect(text).toContain("where: labs/expect-demo.md:20 (session host)");
    expect(text).toContain("expected output differs:");
    expect(text).toMatch(/> {4}2 {2}1 sh \(re\) +\| {4}2 {2}4242 bash/);
    // the first hint, as plain text
    expect(text).toContain("hint: Inside a new PID namespace the shell is PID 1: run `ps` inside it.\n        See man (https://man7.org/");
    // interleaved stdout and stderr, ANSI and NUL removed
    expect(text).toMatch(/│ PID COMMAND\n.*│ 4242 bawarning: odd byte\n.*│ sh\n.*│ 4243 ps/);
  });

  it("reports strict-mode, cleanup and leak failures, skips and the summary", async () => {
    const text = await render(EVENTS);
    expect(text).toContain('✗ check "namespace exists" already passes before its step ran (6 ms)');
    expect(text).toContain("✗ cleanup: ip link del veth-host (7 ms)");
    expect(text).toContain("where: labs/leaky.md:30, failing command at line 31 (session host)");
    expect(text).toContain("✗ leaked: netns rl-red, link veth-host");
    expect(text).toContain("✓ leak check: clean");
    expect(text).toContain('○ step 3/3 skipped: not run: step 2 "Count the processes" did not pass');
    expect(text).toContain("✗ systemd as PID 1 — fix: boot the lab VM: rootlab vm up");
    expect(text).toContain("○ machinectl-intro skipped: cannot run here: systemd as PID 1");
    expect(text).toContain("4 labs: 1 passed, 2 failed, 1 skipped (3.0 s)");
  });

  it("keeps checks that correctly fail before their step quiet unless verbose", async () => {
    expect(await render(EVENTS)).not.toContain("fails before its step");
    expect(await render(EVENTS, { verbose: true })).toContain('✓ check "both namespaces exist" fails before its step, as it should (8 ms)');
  });

  it("shows output live only with verbose, and does not repeat it at a failure", async () => {
    const quiet = await render(EVENTS);
    expect(quiet).not.toContain("│ created");
    const verbose = await render(EVENTS, { verbose: true });
    expect(verbose).toContain("  $ ip netns add rl-red …\n    │ created\n");
    expect(verbose).toContain("output: (shown above)");
    expect(verbose).toContain("    │ warning: odd byte\n"); // no ANSI or NUL from the lab without colour
    expect(verbose).toContain("✓ root");
  });

  it("shows only the last 20 lines of a long output, all of it with verbose", async () => {
    const lines = Array.from({ length: 45 }, (_, k) => `line ${k + 1}`);
    const events = failingBlockEvents(lines.join("\n"));
    const quiet = await render(events);
    expect(quiet).toContain("output (last 20 of 45 lines):");
    expect(quiet).toContain("│ line 26\n");
    expect(quiet).not.toContain("│ line 25\n");
    const verbose = await render(events, { verbose: true });
    expect(verbose).toContain("│ line 1\n");
    expect(verbose).toContain("exit status 1 (general failure)");
  });

  it("uses only ASCII without Unicode", async () => {
    const text = await render(EVENTS, { unicode: false });
    const nonAscii = [...text].filter((c) => c.charCodeAt(0) > 0x7e);
    // Only characters that came from the lab itself (none here) may be non-ASCII.
    expect(nonAscii).toEqual([]);
    expect(text).toContain("FAIL ps -o pid,comm (29 ms)");
    expect(text).toContain("ok leak check: clean");
  });

  it("writes no escape sequences or carriage returns without a terminal or in CI", async () => {
    for (const [tty, env] of [[false, { TERM: "xterm", LANG: "C.UTF-8" }], [true, { TERM: "xterm", LANG: "C.UTF-8", CI: "true", NO_COLOR: "1" }]] as const) {
      const out = new Capture(tty);
      const reporter = new ConsoleReporter({ stream: out, env });
      for (const e of EVENTS) reporter.onEvent(e);
      await reporter.close();
      expect(out.text).not.toMatch(/[\r\x1b]/);
    }
  });

  it("spins on an interactive terminal and clears the spinner before printing", async () => {
    vi.useFakeTimers();
    const out = new Capture(true);
    const style = createStyle(out, { TERM: "xterm", LANG: "C.UTF-8" });
    const reporter = new ConsoleReporter({ stream: out, style });
    const [labStart, stepStart, start, , end] = failingBlockEvents("x");
    reporter.onEvent(labStart!);
    reporter.onEvent(stepStart!);
    reporter.onEvent(start!);
    vi.advanceTimersByTime(250);
    const frames = out.text.split("\r\x1b[2K").length - 1;
    expect(frames).toBeGreaterThanOrEqual(3);
    reporter.onEvent(end!);
    expect(out.text).toContain("\r\x1b[2K  \x1b[31m✗\x1b[39m ip link add veth-red");
    await reporter.close();
    const after = out.text.length;
    vi.advanceTimersByTime(1000);
    expect(out.text.length).toBe(after);
  });
});

/** Every package a source file pulls in at load time, following relative imports (type-only imports excluded). */
function runtimePackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const m of source.matchAll(/^import (?!type )[^;]*?from "([^"]+)";/gms)) {
    const spec = m[1]!;
    if (spec.startsWith(".")) for (const p of runtimePackages(resolve(dirname(file), spec.replace(/\.js$/, ".ts")), seen)) packages.add(p);
    else packages.add(spec);
  }
  return packages;
}

describe("import cost", () => {
  const src = join(dirname(fileURLToPath(import.meta.url)), "../../src");
  // Colour, and the width of text (string-width, strip-ansi: small, and right about emoji where a hand-written
  // table was not). The reporters as a whole add `yaml` (TAP diagnostics), which every run has loaded anyway to
  // read the labs' front matter. Nothing else: no Markdown parser, no prompt library.
  it.each([
    ["term/style.ts", ["chalk"]],
    ["report/console.ts", ["chalk", "string-width", "strip-ansi"]],
    ["report/index.ts", ["chalk", "string-width", "strip-ansi", "yaml"]],
  ])("%s loads only %j", (file, expected) => {
    const packages = [...runtimePackages(join(src, file))].filter((p) => !p.startsWith("node:"));
    expect(packages.sort()).toEqual(expected);
  });
});

/** veth-pair's step 2, whose one block prints `output` and exits 1: lab-start, step-start, block-start, output, block-end. */
function failingBlockEvents(output: string): RunEvent[] {
  const labStart = EVENTS.find((e) => e.type === "lab-start")!;
  const stepStart = EVENTS.find((e) => e.type === "step-start" && e.step.index === 1)!;
  const blockStart = EVENTS.find((e) => e.type === "block-start" && e.block.stepIndex === 1 && e.block.labId === "veth-pair")!;
  if (blockStart.type !== "block-start") throw new Error("fixture");
  return [
    labStart, stepStart, blockStart,
    { type: "output", block: blockStart.block, stream: "stdout", chunk: `${output}\n` },
    {
      type: "block-end", block: blockStart.block, result: { kind: "ok", exitCode: 1, stdout: `${output}\n`, stderr: "", durationMs: 5 },
      outcome: { status: "fail", reason: "the command did not succeed" },
    },
  ];
}

describe("a result line and its duration on a terminal", async () => {
  const { lineWithTail } = await import("../../src/report/console-format.js");
  const head = "  ✓ check: the box's shell sees only the files under the new root directory";
  it.each<[string, number | undefined, string]>([
    ["not a terminal: one line, as it is", undefined, `${head} (19 ms)`],
    ["fits: one line", 120, `${head} (19 ms)`],
    ["the tail fits after the last word", 60, "  ✓ check: the box's shell sees only the files under the new\n      root directory (19 ms)"],
    ["the tail alone on the next line, never split", 76, `${head}\n      (19 ms)`],
  ])("%s", (_name, width, expected) => {
    expect(lineWithTail(head, "(19 ms)", width, "      ")).toBe(expected);
  });
});
