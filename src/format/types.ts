// The lab model: what a lab file means once parsed. Types only (like marked's Tokens.ts), no logic.
// Contract: ../shared/design/LAB-FORMAT.md (format version 1); docs/lab-format.md explains it to instructors.

/** Highest lab format this rootlab understands. */
export const FORMAT_VERSION = 1;

export type Severity = "error" | "warning";

/** One problem found in a lab file. Lines and columns are 1-based. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  /** Stable rule code, e.g. "front-matter/unknown-key", "fence/bad-timeout". */
  code: string;
  /** What failed, in words. */
  message: string;
  /** What was expected instead. */
  expected?: string;
  /** A short example of the right form. */
  example?: string;
}

export type Level = "beginner" | "intermediate" | "advanced";

/** Kernel features a lab may require; each has a probe in src/host/preflight. */
export const KERNEL_FEATURES = [
  "netns", "veth", "bridge", "overlay", "aufs", "userns", "pidns", "mntns", "utsns", "ipcns",
  "cgroupns", "cgroup1", "cgroup2", "nftables", "iptables",
] as const;
export type KernelFeature = (typeof KERNEL_FEATURES)[number];

export const FIXTURES = ["busybox-rootfs", "alpine-rootfs", "systemd-image"] as const;
export type FixtureName = (typeof FIXTURES)[number];

export interface Requires {
  root: boolean;
  commands: string[];
  kernel: KernelFeature[];
  /** Needs systemd as PID 1 (machinectl, systemctl). */
  systemd: boolean;
  /** Needs the internet. Never met in CI; see docs/lab-format.md. */
  network: boolean;
}

export interface FrontMatter {
  format: number;
  id: string;
  title: string;
  summary: string;
  level: Level;
  /** As written, e.g. "15m". */
  duration: string;
  durationSeconds: number;
  requires: Requires;
  uses: FixtureName[];
}

/**
 * `wrong`: a plausible wrong attempt at the step, which the step's checks must reject (`verify --strict`);
 * `undo`: right after a `wrong` block, returns the machine to the state before that attempt.
 * Neither is ever shown to a student as a command to run: they live in Step.wrongAttempts, not in parts.
 */
export type BlockRole = "command" | "verify" | "expect" | "solution" | "setup" | "cleanup" | "wrong" | "undo";

export const DEFAULT_SESSION = "host";
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface ExpectSpec {
  /** Expected lines (after trailing-whitespace trim); "..." and "(re)" lines keep their meaning. */
  lines: string[];
  /** Line of the expect fence in the lab file. */
  line: number;
  /** The visible label line before the fence (`**Expected output:** …`), when there is one. */
  label?: string;
  /** The fence language as written: text, console or "" (none). */
  lang?: string;
}

/** A `<details>` element a block or hint sits in: folded on GitHub until the reader opens it. */
export interface Fold {
  /** Text of its `<summary>` ("" when it has none). */
  summary: string;
  /** `<details open>`: shown unfolded. */
  open: boolean;
  /** Line of the `<details>` tag. */
  line: number;
}

/** A fenced code block with its role and attributes resolved. `expect` blocks are attached to the command before them. */
export interface Block {
  role: Exclude<BlockRole, "expect">;
  /** The fence language as written: sh, bash, shell (text/console only for expect). */
  lang: string;
  /** Body with LF line endings and no trailing newline. */
  code: string;
  /** Line of the opening fence. */
  line: number;
  /** Line of the first body line (line + 1). */
  codeLine: number;
  /** Session the block runs in (default "host"). */
  session: string;
  /** For command blocks: this command becomes session NAME. */
  enter?: string;
  /** Expected exit status (default 0). */
  exit: number;
  timeoutMs: number;
  /** verify only: poll until the check passes or this time is up. */
  retryMs?: number;
  background: boolean;
  /** verify and wrong: the check's (attempt's) name, from its first `# comment` line (undefined when missing). */
  name?: string;
  /** The visible label line before the fence (`**Check:**`, `**In the box shell (`box`):**`), for readers of the file. */
  label?: string;
  /** The `<details>` element the block sits in, when it is folded. */
  fold?: Fold;
  /** wrong only: the `undo` block right after it. */
  undo?: Block;
  /** command/solution only: expected output, from the `expect` block right after it. */
  expect?: ExpectSpec;
}

/** A `> [!TIP]` blockquote: hidden until asked for or a check fails. Several form a ladder. */
export interface Hint {
  markdown: string;
  line: number;
  /** The `<details>` element the hint sits in, when it is folded. */
  fold?: Fold;
}

export interface Step {
  /** 0-based position among the lab's steps (## Cleanup is not a step). */
  index: number;
  /** Heading text. */
  title: string;
  /** Slug of the title, unique within the lab: used by --from/--only and progress files. */
  slug: string;
  line: number;
  /** Markdown shown before the step's work (prose before its first block; hints excluded). */
  intro: string;
  /** Markdown shown once the step has passed (prose after its last block). */
  explanation: string;
  hints: Hint[];
  /** Everything in the step in document order, for renderers that show it all (`rootlab show`, guided mode). */
  parts: StepPart[];
  /** All blocks of the step in document order (expect blocks already attached), wrong attempts excluded. */
  blocks: Block[];
  /** The step's `wrong` blocks (each with its `undo`), run only by `verify --strict`; never shown as commands. */
  wrongAttempts: Block[];
}

export type StepPart =
  | { kind: "prose"; markdown: string; line: number }
  | { kind: "hint"; hint: Hint }
  | { kind: "block"; block: Block };

export interface Lab {
  /** Path as given to the loader (used in diagnostics). */
  file: string;
  meta: FrontMatter;
  /** The front-matter title, else the first `# Title` heading, else the id. */
  title: string;
  /** The `# H1` heading as written (set by parseLab), which lint compares with the front matter's title. */
  heading?: { text: string; line: number };
  /** Prose after the title and before the first step. */
  intro: string;
  steps: Step[];
  /** Blocks of the reserved `## Cleanup` section, in document order. */
  cleanup: Block[];
  /** Line of `## Cleanup`, when present. */
  cleanupLine?: number;
  /** The lab file's text as parsed (set by parseLab), so later stages never read the file again. */
  source?: string;
}

export type ParseResult =
  | { ok: true; lab: Lab; warnings: Diagnostic[] }
  /** partial: the lab as far as it could be read despite the errors (absent when the file is no text), so lint can
   *  still report the body's problems — a broken front matter must not hide a dangerous command. Never run it. */
  | { ok: false; diagnostics: Diagnostic[]; partial?: Lab };
