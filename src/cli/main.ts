// The only place that sets the exit code. Parses the command line, dispatches, turns errors into words.
import { rootlabCommand } from "../core/rootlab-command.js";
import { parseArgs } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import { COMMANDS } from "./registry.js";
import type { Command } from "./command.js";
import { exitCodeOf, UsageError } from "../core/errors.js";
import { fitHelp, fitReport } from "../term/help-wrap.js";
import { didYouMean } from "../format/suggest.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    "rootlab — guided labs that show how Linux containers really work, verified on the real kernel.",
    "",
    "Usage: rootlab <command> [options]",
    "       sudo rootlab            pick a lab and follow it step by step",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     Show help (also: rootlab <command> --help)",
    "  -V, --version  Show the version",
    "",
    "Exit codes: 0 passed, 1 a step/check/cleanup/leak check failed, 2 invalid lab or usage, 3 refused here.",
  ].join("\n");
}

/** node:util parseArgs errors, in rootlab's words. */
function argsProblem(err: NodeJS.ErrnoException, command: string, options: string[]): string {
  const option = /'(-[^']*)'/.exec(err.message)?.[1];
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option ?? ""} for \`rootlab ${command}\`${option?.startsWith("--") ? didYouMean(option.slice(2).split("=")[0]!, options).replace(/`(?=[^`]+`\?)/, "`--") : ""}.`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `\`rootlab ${command}\` takes no arguments besides its options (got ${/'([^']*)'/.exec(err.message)?.[1] ?? "an extra argument"}).`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return `${option ?? "an option"} ${/argument missing/.test(err.message) ? "needs a value" : "does not take a value"}.`;
    default:
      return err.message;
  }
}

/**
 * A file whose name starts with `-` (`-draft.md`) reads as options: when one of the arguments is such a file, say
 * how to pass it (`ls`, `rm` and every other program need the same).
 */
function dashedPath(args: string[]): string {
  const file = args.find((a) => a.startsWith("-") && a !== "-" && !a.startsWith("--") && existsSync(a));
  return file ? `\n${JSON.stringify(file).slice(1, -1)} is a file here: write ./${file} (or put -- before it) to give it as a path.` : "";
}

/**
 * An option that takes one value given twice with different values (`--width 30 --width 40`) is a slip, not a
 * choice: parseArgs would silently keep the last. Repeating a flag (`--json --json`) changes nothing and passes.
 */
function refuseRepeatedValues(tokens: ReturnType<typeof parseArgs>["tokens"], options: Command["options"]): void {
  const seen = new Map<string, string>();
  for (const t of tokens ?? []) {
    if (t.kind !== "option" || t.value === undefined || options[t.name]?.multiple) continue;
    const before = seen.get(t.name);
    if (before !== undefined && before !== t.value) throw new UsageError(`--${t.name} is given twice ("${before}", then "${t.value}"): give it once.`);
    seen.set(t.name, t.value);
  }
}

/** Whether `rootlab menu` has the option ARG (`--labs-dir`, `--labs-dir=DIR`, `--disposable`). */
async function menuTakes(arg: string): Promise<boolean> {
  const { command } = await COMMANDS.menu!.load();
  return Object.keys(command.options).includes(arg.replace(/^--?/, "").split("=")[0]!);
}

async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "-V" || first === "--version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (first === "-h" || first === "--help" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) return run([topic, "--help"]);
    process.stdout.write(`${helpForTerminal(mainHelp())}\n`);
    return 0;
  }
  // `rootlab --disposable` is `rootlab menu --disposable`: plain rootlab takes the menu's options too.
  if (first?.startsWith("-") && COMMANDS.menu && (await menuTakes(first))) return run(["menu", ...argv]);
  const name = first ?? (COMMANDS.menu ? "menu" : undefined);
  if (!name) {
    process.stdout.write(`${mainHelp()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry && name.startsWith("-")) throw new UsageError(`unknown option ${name}.\nExpected a command first, e.g. \`${rootlabCommand()} list\`; run \`${rootlabCommand()} --help\` for the commands.`);
  if (!entry) {
    throw new UsageError(`unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}.\nExpected one of: ${Object.keys(COMMANDS).join(", ")}.\nRun \`${rootlabCommand()} --help\` for the list.`);
  }
  const { command } = await entry.load();
  const args = first ? rest : [];
  // After `--` everything is an argument: `rootlab show -- --help` looks for a lab called --help.
  const end = args.indexOf("--");
  const options = end === -1 ? args : args.slice(0, end);
  if (options.includes("-h") || options.includes("--help")) {
    process.stdout.write(`${helpForTerminal(command.help)}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: command.options, allowPositionals: command.allowPositionals, strict: true, tokens: true });
  } catch (err) {
    throw new UsageError(`${argsProblem(err as NodeJS.ErrnoException, name, Object.keys(command.options))}${dashedPath(options)}\nRun \`${rootlabCommand()} ${name} --help\` for the options.`);
  }
  refuseRepeatedValues(parsed.tokens, command.options);
  return command.run({ values: parsed.values as Record<string, unknown>, positionals: parsed.positionals });
}

// `rootlab … | head` closes our stdout early (EPIPE); a closed terminal fails writes with EIO. Never crash on
// either: a run in progress sees them as an interrupt (signals.ts, guided/interrupts.ts) and still cleans up.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" && err.code !== "EIO") throw err;
  });
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  const code = exitCodeOf(err);
  if (code !== undefined) {
    // On a terminal, each line wrapped at words under its indent, a command the shell's way: a path or a list
    // of lab ids is never cut mid-word, a command to paste stays one command.
    const message = `rootlab: ${(err as Error).message}`;
    const columns = process.stderr.isTTY ? process.stderr.columns : 0;
    process.stderr.write(`${columns >= 40 ? fitReport(message, columns) : message}\n`);
    process.exitCode = code;
  } else {
    // A bug in rootlab, not a user mistake: keep the stack so it can be reported.
    process.stderr.write(`rootlab: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 70;
  }
}

/**
 * Help fitted to the terminal's width; piped or written to a file, to 80 columns, as man does: it is read in a
 * pager or a terminal all the same (`rootlab start --help | less`), and the text as written breaks its lines
 * at the source's width, 110 columns and more.
 */
function helpForTerminal(text: string): string {
  return fitHelp(text, (process.stdout.isTTY && process.stdout.columns) || 80);
}
