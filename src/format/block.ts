// What a fenced block means: shown-only prose, a runnable block, or expected output. Checks the role/attribute rules.
import type { DiagnosticSink } from "./diagnostics.js";
import { DEFAULT_SESSION, DEFAULT_TIMEOUT_MS, type Block, type ExpectSpec } from "./types.js";
import { attributeExample, isOutputLang, isShellLang, readFenceInfo, type AttributeKey, type FenceInfo } from "./fence.js";
import { parseDuration, DURATION_EXAMPLES } from "./durations.js";

export interface Fence {
  /** The info string as written after the backticks. */
  info: string;
  /** Column of the first character after the backticks. */
  infoColumn: number;
  code: string;
  /** Line of the opening fence. */
  line: number;
}

export type FenceMeaning =
  | { kind: "display" }
  | { kind: "block"; block: Block }
  | { kind: "expect"; spec: ExpectSpec };

type RunRole = Block["role"];

/** Which attributes make sense for which role. */
const ALLOWED: Record<RunRole | "expect", readonly AttributeKey[]> = {
  command: ["session", "enter", "exit", "timeout", "background"],
  solution: ["session", "enter", "exit", "timeout", "background"],
  setup: ["session", "enter", "exit", "timeout", "background"],
  verify: ["session", "timeout", "retry"],
  cleanup: ["session", "timeout"],
  wrong: ["session", "exit", "timeout"],
  undo: ["session", "timeout"],
  expect: [],
};

const WHY_NOT: Partial<Record<AttributeKey, string>> = {
  enter: "only a command, solution or setup block can become a session (a wrong attempt runs in an existing one)",
  retry: "only a verify check can be retried",
  exit: "a check passes when it exits 0 (negate with `!` inside the check instead)",
  background: "only a command, solution or setup block can run in the background",
};

/** Session names: letters, digits, `_`, `.` and `-`, not starting with `.` or `-` (no spaces, `=` or shell characters). */
export const SESSION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The name of a check: its first `# comment` line, skipping a shebang and blank lines. */
export function checkName(code: string): string | undefined {
  for (const raw of code.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#!")) continue;
    if (!line.startsWith("#")) return undefined;
    const name = line.replace(/^#+/, "").trim();
    return name === "" ? undefined : name;
  }
  return undefined;
}

/** Interpret one top-level fence. `inCleanup` is true inside `## Cleanup`, where role-less blocks are cleanup blocks. */
export function interpretFence(fence: Fence, inCleanup: boolean, sink: DiagnosticSink): FenceMeaning {
  const { line } = fence;
  const quiet = readFenceInfo(fence.info, fence.infoColumn, line, undefined);
  if (quiet.role === undefined && !isShellLang(quiet.lang)) {
    if (quiet.mentionsRootlab) {
      sink.error({
        line,
        column: fence.infoColumn,
        code: "fence/not-runnable",
        message: `this \`${quiet.lang || "(no language)"}\` block carries rootlab attributes, but only sh, bash and shell blocks run`,
        expected: "```sh (or bash, shell) for a block rootlab runs; no attributes on blocks that are only shown",
        example: "```sh session=ns",
      });
    }
    return { kind: "display" };
  }
  const info = readFenceInfo(fence.info, fence.infoColumn, line, sink);
  const roleWord = info.role ?? (inCleanup ? "cleanup" : "command");
  if (inCleanup && roleWord !== "cleanup") {
    sink.error({ line, column: info.roleColumn ?? fence.infoColumn, code: "cleanup/bad-role", message: `a \`${roleWord}\` block cannot be in \`## Cleanup\``, expected: "plain ```sh blocks (or ```sh cleanup) that tear down what the lab created", example: "```sh\nip netns del rl-red 2>/dev/null || true\n```" });
    return { kind: "display" };
  }
  checkLang(info, roleWord, line, sink);
  checkAllowed(info, roleWord, line, sink);
  if (roleWord === "expect") return { kind: "expect", spec: { lines: fence.code === "" ? [] : fence.code.split("\n").map((l) => l.trimEnd()), line, lang: info.lang } };
  const block: Block = {
    role: roleWord,
    lang: info.lang,
    code: fence.code,
    line,
    codeLine: line + 1,
    session: DEFAULT_SESSION,
    exit: 0,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    background: false,
  };
  applyAttributes(info, block, line, sink);
  // An empty check is check/unnamed (lint); an empty command is shown, typed and run as nothing at all.
  if (fence.code.trim() === "" && roleWord !== "verify") {
    sink.warning({ line, column: 1, code: "block/empty", message: `this ${roleWord === "command" ? "command" : roleWord} block is empty: there is nothing to show, type or run`, expected: "the commands between the fence lines, or no block", example: "```sh\nip netns add rl-red\n```" });
  }
  if (roleWord === "verify" || roleWord === "wrong") {
    const name = checkName(fence.code);
    if (name !== undefined) block.name = name;
  }
  return { kind: "block", block };
}

function checkLang(info: FenceInfo, role: RunRole | "expect", line: number, sink: DiagnosticSink): void {
  if (role === "expect" && !isOutputLang(info.lang)) {
    sink.error({ line, column: info.langColumn, code: "fence/bad-lang", message: `expected output must be a \`text\` or \`console\` block, not \`${info.lang}\``, expected: "```text expect (or console, or no language)", example: "```text expect\nhello\n```" });
  } else if (role !== "expect" && info.lang !== "" && !isShellLang(info.lang)) {
    // No language is fine when a role says what the block is (```verify): it runs in the shell like ```sh verify.
    sink.error({ line, column: info.langColumn, code: "fence/bad-lang", message: `a ${role} block runs in a shell, but its language is \`${info.lang}\``, expected: "sh, bash or shell as the first word", example: `\`\`\`sh${role === "command" ? "" : ` ${role}`}` });
  }
}

function checkAllowed(info: FenceInfo, role: RunRole | "expect", line: number, sink: DiagnosticSink): void {
  const allowed = ALLOWED[role];
  for (const attr of info.attributes) {
    if (allowed.includes(attr.key)) continue;
    const why = role === "expect" ? "an expect block takes no attributes; put them on the command before it" : (WHY_NOT[attr.key] ?? `it has no meaning for a ${role} block`);
    sink.error({ line, column: attr.column, code: "fence/attribute-not-allowed", message: `\`${attr.key}\` is not allowed on ${role === "expect" ? "an" : "a"} ${role} block: ${why}`, expected: allowed.length ? `only ${allowed.join(", ")}` : "no attributes", example: role === "expect" ? "```text expect" : attributeExample(allowed[0] ?? "session") });
  }
}

function applyAttributes(info: FenceInfo, block: Block, line: number, sink: DiagnosticSink): void {
  const err = (column: number, code: string, message: string, expected: string, key: AttributeKey) =>
    sink.error({ line, column, code, message, expected, example: attributeExample(key) });
  for (const { key, value = "", column } of info.attributes) {
    if (!ALLOWED[block.role].includes(key)) continue;
    if (key === "session" || key === "enter") {
      if (!SESSION_NAME.test(value)) err(column, "fence/bad-session-name", `\`${key}=${value}\`: "${value}" is not a session name`, "a name of letters, digits, _, . and - that does not start with . or - (no spaces, = or shell characters)", key);
      else if (key === "enter" && value === DEFAULT_SESSION) err(column, "fence/enter-host", "`enter=host`: the host session always exists and cannot be entered", "another name, e.g. enter=ns", key);
      else if (key === "session") block.session = value;
      else block.enter = value;
    } else if (key === "exit") {
      if (!/^\d{1,3}$/.test(value) || Number(value) > 255) err(column, "fence/bad-exit", `\`exit=${value}\`: an exit status is a whole number from 0 to 255`, "exit=N with N from 0 to 255", key);
      else block.exit = Number(value);
    } else if (key === "timeout" || key === "retry") {
      const parsed = parseDuration(value);
      if (!parsed.ok) err(column, `fence/bad-${key}`, `\`${key}=${value}\`: ${parsed.reason}`, `a duration such as ${DURATION_EXAMPLES}`, key);
      else if (parsed.ms <= 0) err(column, `fence/bad-${key}`, `\`${key}=${value}\` must be longer than zero`, `a duration such as ${DURATION_EXAMPLES}`, key);
      else if (key === "timeout") block.timeoutMs = parsed.ms;
      else block.retryMs = parsed.ms;
    } else if (key === "background") {
      block.background = true;
    }
  }
  const enterAttr = info.attributes.find((a) => a.key === "enter");
  if (block.background && enterAttr) {
    err(enterAttr.column, "fence/background-enter", "`background` and `enter` cannot be combined: an entered session is already long-lived", "either background or enter=NAME", "enter");
  }
}
