// Lines the console reporter prints, as pure functions of the data and a Style (so they are easy to test and
// never decide colour themselves).
import type { Lab } from "../format/types.js";
import type { LabSummary, Leak, Outcome, PreflightItem } from "../exec/types.js";
import type { Style } from "../term/style.js";
import { formatElapsed } from "../term/words.js";
import { wrapText } from "../term/wrap.js";
import { displayWidth } from "../term/width.js";
import type { Detail } from "./details.js";

export const INDENT = "  ";
const DETAIL_INDENT = "      ";

export function symbolFor(outcome: Outcome, style: Style): string {
  const { chalk, sym } = style;
  switch (outcome.status) {
    case "pass":
      return chalk.green(sym.pass);
    case "skipped":
      return chalk.yellow(sym.skip);
    default:
      return chalk.red(sym.fail);
  }
}

export function duration(ms: number, style: Style, attempts = 1): string {
  return style.chalk.dim(`(${attempts > 1 ? `${attempts} attempts, ` : ""}${formatElapsed(ms)})`);
}

export function labHeader(lab: Lab, style: Style): string[] {
  const dot = style.unicode ? "·" : "-";
  const steps = `${lab.steps.length} step${lab.steps.length === 1 ? "" : "s"}`;
  return ["", style.chalk.bold.underline(lab.title), style.chalk.dim(`${INDENT}${lab.meta.id} ${dot} ${lab.file} ${dot} ${steps}`)];
}

export function preflightLines(items: PreflightItem[], verbose: boolean, style: Style): string[] {
  const { chalk, sym } = style;
  const unmet = items.filter((i) => !i.met);
  const shown = verbose ? items : unmet;
  if (shown.length === 0) return [];
  const head = unmet.length > 0 ? chalk.yellow(`${INDENT}preflight: ${unmet.length} need${unmet.length === 1 ? "" : "s"} not met here`) : chalk.dim(`${INDENT}preflight: all needs met`);
  return [
    head,
    ...shown.map((i) => (i.met ? `${INDENT}${INDENT}${chalk.green(sym.pass)} ${i.need}` : `${INDENT}${INDENT}${chalk.red(sym.fail)} ${i.need}${i.fix ? chalk.dim(` ${style.unicode ? "—" : "-"} fix: ${i.fix}`) : ""}`)),
  ];
}

/** Failure details under a ✗ line: label in dim, text wrapped, output and reports indented as they are. */
export function detailLines(details: Detail[], width: number, style: Style): string[] {
  const { chalk, sym } = style;
  const lines: string[] = [];
  for (const d of details) {
    if (d.text !== undefined) {
      const label = `${d.label}: `;
      const text = d.label === "why" ? chalk.red(d.text) : d.label === "hint" ? chalk.cyan(d.text) : d.text;
      const wrapped = wrapText(text, width, { firstIndent: DETAIL_INDENT + " ".repeat(label.length), indent: DETAIL_INDENT + INDENT });
      lines.push(DETAIL_INDENT + chalk.dim(label) + wrapped.slice(DETAIL_INDENT.length + label.length));
    } else {
      lines.push(DETAIL_INDENT + chalk.dim(`${d.label}:`));
    }
    // Output and the expect report are shown verbatim (no wrapping: alignment matters).
    for (const l of d.lines ?? []) lines.push(`${DETAIL_INDENT}${chalk.dim(sym.box.v)} ${l}`);
  }
  return lines;
}

export function leakLine(leaks: Leak[], style: Style): string {
  const { chalk, sym } = style;
  if (leaks.length === 0) return `${INDENT}${chalk.green(sym.pass)} leak check: clean`;
  return `${INDENT}${chalk.red(sym.fail)} ${chalk.red(`leaked: ${leaks.map((l) => `${l.kind} ${l.name}`).join(", ")}`)}`;
}

/** How a person removes a leftover by hand. */
export function removalCommand(leak: Leak): string {
  const name = leak.name.replace(/ \([^()]*\)$/, "");
  switch (leak.kind) {
    case "netns":
      return `ip netns del ${name}`;
    case "link":
      return `ip link del ${name.split("@")[0]}`;
    case "mount":
      return `umount ${name}`;
    case "loop":
      return `losetup -d ${name.split(" ")[0]}`;
    case "process":
      return `kill -9 ${name.split(" ")[0]}`;
    case "cgroup":
      return `rmdir ${name}`;
    case "file":
      return `rm -r ${name}`;
    case "firewall":
      return "nft -a list ruleset   # then: nft delete …";
  }
}

/**
 * After the leak check: what rootlab removed, what it could not remove (with how to remove it), and, neutrally,
 * what appeared during the run without being the lab's (left alone: it may be someone else's work).
 */
export function leftLines(leaks: Leak[], left: Leak[], style: Style, others: Leak[] = []): string[] {
  const { chalk, sym } = style;
  const removed = leaks.length - left.length;
  const lines: string[] = [];
  if (removed > 0) lines.push(chalk.dim(`${INDENT}  rootlab removed ${left.length === 0 ? "them" : `${removed} of them`}, so the next lab starts clean`));
  if (left.length > 0) {
    lines.push(`${INDENT}  ${chalk.yellow("still on this machine")} (rootlab could not remove them; remove them by hand):`);
    for (const l of left) lines.push(`${INDENT}    ${l.kind} ${l.name}  ${chalk.dim(`${sym.arrow} ${removalCommand(l)}`)}`);
  }
  if (others.length > 0) lines.push(chalk.dim(`${INDENT}  not the lab's, left alone (appeared while it ran): ${others.map((l) => `${l.kind} ${l.name}`).join(", ")}`));
  return lines;
}

export function labEndLine(s: LabSummary, width: number, style: Style): string {
  const { chalk } = style;
  const o = s.outcome;
  const head = `${symbolFor(o, style)} ${chalk.bold(s.id)}`;
  const text =
    o.status === "pass"
      ? `${head} ${chalk.green("passed")} ${duration(s.durationMs, style)}`
      : o.status === "skipped"
        ? `${head} ${chalk.yellow("skipped")}: ${o.reason}`
        : `${head} ${chalk.red(o.status === "error" ? "could not run" : "failed")} ${duration(s.durationMs, style)}: ${o.reason}`;
  return wrapText(text, width, { firstIndent: "", indent: INDENT + INDENT });
}

export function summaryLines(labs: LabSummary[], durationMs: number, width: number, style: Style): string[] {
  const { chalk } = style;
  const count = (pred: (o: Outcome) => boolean) => labs.filter((l) => pred(l.outcome)).length;
  const passed = count((o) => o.status === "pass");
  const failed = count((o) => o.status === "fail" || o.status === "error");
  const skipped = count((o) => o.status === "skipped");
  const paint = (n: number, text: string, color: (s: string) => string) => (n > 0 ? color(text) : text);
  const parts = [
    paint(passed, `${passed} passed`, chalk.green),
    paint(failed, `${failed} failed`, chalk.red),
    paint(skipped, `${skipped} skipped`, chalk.yellow),
  ];
  const lines = ["", `${chalk.bold(`${labs.length} lab${labs.length === 1 ? "" : "s"}:`)} ${parts.join(", ")} ${duration(durationMs, style)}`];
  for (const l of labs) {
    if (l.outcome.status === "pass") continue;
    lines.push(wrapText(`${symbolFor(l.outcome, style)} ${l.id}: ${l.outcome.reason}`, width, { firstIndent: INDENT, indent: INDENT + INDENT + INDENT }));
  }
  return lines;
}

/**
 * A result line with its "(19 ms)" tail, wrapped at words on a terminal WIDTH wide (undefined: not a terminal,
 * one line as it is). The tail is never split, and goes on a line of its own only when it does not fit after
 * the last word.
 */
export function lineWithTail(head: string, tail: string, width: number | undefined, indent: string): string {
  if (width === undefined || displayWidth(`${head} ${tail}`) <= width) return `${head} ${tail}`;
  const lines = wrapText(head, width, { firstIndent: "", indent }).split("\n");
  const last = lines.length - 1;
  if (displayWidth(`${lines[last]} ${tail}`) <= width) lines[last] = `${lines[last]} ${tail}`;
  else lines.push(`${indent}${tail}`);
  return lines.join("\n");
}
