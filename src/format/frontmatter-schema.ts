// The front matter keys of format v1, their types and defaults. Every problem is reported with the key's position.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import type { DiagnosticSink } from "./diagnostics.js";
import { FIXTURES, FORMAT_VERSION, KERNEL_FEATURES, type FrontMatter, type Level, type Requires } from "./types.js";
import { didYouMean } from "./suggest.js";
import { parseDurationSeconds, DURATION_EXAMPLES } from "./durations.js";

export const FRONT_MATTER_EXAMPLE = [
  "---",
  "format: 1",
  "id: veth-pair",
  "title: Connect two network namespaces with a veth pair",
  "---",
].join("\n");

const TOP_KEYS = ["format", "id", "title", "summary", "level", "duration", "requires", "uses"] as const;
const REQUIRES_KEYS = ["root", "commands", "kernel", "systemd", "network"] as const;
const LEVELS: readonly Level[] = ["beginner", "intermediate", "advanced"];
const ID_PATTERN = /^[a-z0-9-]+$/;

export interface Ctx {
  sink: DiagnosticSink;
  position(offset: number): { line: number; col: number };
  /** The document, to follow `*alias` references to their anchors (none when the front matter was read without the library). */
  doc: Document.Parsed | undefined;
}

export function defaultFrontMatter(): FrontMatter {
  return {
    format: FORMAT_VERSION,
    id: "",
    title: "",
    summary: "",
    level: "beginner",
    duration: "",
    durationSeconds: 0,
    requires: { root: true, commands: [], kernel: [], systemd: false, network: false },
    uses: [],
  };
}

/** "U+001B (ESC)": a control character as a person can look it up. */
/** The id names progress files, URLs and `rootlab start ID`: short enough to type and to be a file name. */
const ID_MAX_LENGTH = 64;

/**
 * What is wrong with an id, naming the first character that is not allowed by its code point: an invisible one
 * (U+200B, a zero-width space) or a look-alike (a Cyrillic а) reads like a valid id in the message otherwise.
 */
function badIdMessage(id: string): string {
  const bad = [...id].findIndex((c) => !/[a-z0-9-]/.test(c));
  if (bad < 0) return `\`id\` is ${id.length} characters long: an id names progress files and is typed in \`rootlab start ID\``;
  const c = [...id][bad] as string;
  const shown = /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? `"${c}", ` : "";
  return `\`id\` "${id.length > 80 ? `${id.slice(0, 80)}…` : id}" may only contain lowercase letters, digits and dashes: character ${bad + 1} is ${shown}${controlName(c)}${shown ? "" : ", which is invisible"}`;
}

export function controlName(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const names: Record<number, string> = { 7: "BEL", 8: "BS", 9: "TAB", 11: "VT", 12: "FF", 27: "ESC", 127: "DEL", 0x9b: "CSI" };
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}${names[code] ? ` (${names[code]})` : ""}`;
}

function report(ctx: Ctx, node: Node | null | undefined, code: string, message: string, expected: string, example: string): void {
  const { line, col } = ctx.position(node?.range?.[0] ?? 0);
  ctx.sink.error({ line, column: col, code, message, expected, example });
}

/** The node an alias points to (errors are still reported at the alias). */
function deref(ctx: Ctx, node: unknown): unknown {
  return isAlias(node) && ctx.doc ? node.resolve(ctx.doc) : node;
}

/** The value as a plain JS value, or undefined when the node is null/empty (treated as "not given"). */
function scalarValue(ctx: Ctx, node: unknown): unknown {
  const target = deref(ctx, node);
  if (target === null || target === undefined) return undefined;
  if (isScalar(target)) return target.value ?? undefined;
  return target;
}

function readString(ctx: Ctx, key: string, node: unknown, example: string): string | undefined {
  const value = scalarValue(ctx, node);
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    // `title: "Lab\e[2J"`: a YAML escape makes a control character, which would clear or retitle the student's terminal.
    const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(value);
    if (!control) return value;
    report(ctx, node as Node, "front-matter/control-character", `\`${key}\` holds the control character ${controlName(control[0])}, which would garble or take over the terminal that shows it`, `${key}: <printable text>`, example);
    return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
  }
  report(ctx, node as Node, "front-matter/wrong-type", `\`${key}\` must be text`, `${key}: <text>`, example);
  return undefined;
}

function readBoolean(ctx: Ctx, key: string, node: unknown): boolean | undefined {
  const value = scalarValue(ctx, node);
  if (value === undefined || typeof value === "boolean") return value;
  report(ctx, node as Node, "front-matter/wrong-type", `\`${key}\` must be true or false, not ${JSON.stringify(value)}`, "true or false", `${key}: true`);
  return undefined;
}

/** A list of strings, each optionally restricted to `allowed`. */
/** A program name `command -v` can look up, or an absolute path: nothing a shell would read as more than a word. */
const COMMAND_NAME = /^(?:\/[\w.+-]+)+$|^[\w.+][\w.+-]*$/;

function readList<T extends string>(ctx: Ctx, key: string, node: unknown, allowed: readonly T[] | undefined, example: string): T[] | undefined {
  if (scalarValue(ctx, node) === undefined) return undefined;
  const list = deref(ctx, node);
  if (!isSeq(list)) {
    report(ctx, node as Node, "front-matter/wrong-type", `\`${key}\` must be a list`, `a YAML list, e.g. [a, b]`, example);
    return undefined;
  }
  const out: T[] = [];
  for (const item of list.items) {
    const value = scalarValue(ctx, item);
    if (typeof value !== "string") {
      report(ctx, item as Node, "front-matter/wrong-type", `every entry of \`${key}\` must be a name, not ${JSON.stringify(value ?? null)}`, "a word", example);
    } else if (key === "commands" && !COMMAND_NAME.test(value)) {
      report(ctx, item as Node, "front-matter/bad-command", `\`${value}\` in \`commands\` is not a program name`, "a program's name as found on PATH (letters, digits, `.`, `_`, `+`, `-`), or an absolute path", example);
    } else if (allowed && !allowed.includes(value as T)) {
      report(ctx, item as Node, `front-matter/unknown-${key}`, `unknown ${key} entry \`${value}\`${didYouMean(value, allowed)}`, `one of: ${allowed.join(", ")}`, example);
    } else {
      out.push(value as T);
    }
  }
  return out;
}

/** Report keys that are not in `known`, and return the pairs by key name. */
function pairsByKey(ctx: Ctx, map: YAMLMap, known: readonly string[], where: string, example: string): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!known.includes(key)) {
      report(ctx, pair.key as Node, "front-matter/unknown-key", `unknown key \`${key}\` in ${where}${didYouMean(key, known)}`, `one of: ${known.join(", ")}`, example);
    } else {
      out.set(key, pair);
    }
  }
  return out;
}

function readFormat(ctx: Ctx, pair: Pair | undefined): number {
  const example = `format: ${FORMAT_VERSION}`;
  const value = scalarValue(ctx, pair?.value);
  if (pair === undefined || value === undefined) {
    report(ctx, pair?.key as Node, "front-matter/missing-key", "the front matter has no `format`", "format: <the lab format version>", example);
    return FORMAT_VERSION;
  }
  const node = pair.value as Node;
  let version = value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) {
    const { line, col } = ctx.position(node.range?.[0] ?? 0);
    ctx.sink.warning({ line, column: col, code: "front-matter/format-string", message: `\`format\` is written as text ("${value}"); write it as a number`, expected: "a number without quotes", example });
    version = Number(value.trim());
  }
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    report(ctx, node, "front-matter/bad-format", `\`format\` must be a whole number from 1, not ${typeof value === "number" ? String(value) : JSON.stringify(value)}`, `a whole number from 1 to ${FORMAT_VERSION}`, example);
    return FORMAT_VERSION;
  }
  if (version > FORMAT_VERSION) {
    report(ctx, node, "front-matter/format-too-new", `this lab needs lab format ${version}, but this rootlab only understands format ${FORMAT_VERSION}: upgrade rootlab to run it`, `format: ${FORMAT_VERSION} (or upgrade rootlab)`, example);
  }
  return version;
}

function readRequires(ctx: Ctx, node: unknown, into: Requires): void {
  const example = "requires:\n  root: true\n  commands: [ip, ping]\n  kernel: [netns, veth]";
  if (scalarValue(ctx, node) === undefined) return;
  const map = deref(ctx, node);
  if (!isMap(map)) {
    report(ctx, node as Node, "front-matter/wrong-type", "`requires` must be a set of `key: value` lines", `keys: ${REQUIRES_KEYS.join(", ")}`, example);
    return;
  }
  const pairs = pairsByKey(ctx, map, REQUIRES_KEYS, "`requires`", example);
  into.root = readBoolean(ctx, "root", pairs.get("root")?.value) ?? into.root;
  into.systemd = readBoolean(ctx, "systemd", pairs.get("systemd")?.value) ?? into.systemd;
  into.network = readBoolean(ctx, "network", pairs.get("network")?.value) ?? into.network;
  into.commands = readList(ctx, "commands", pairs.get("commands")?.value, undefined, "commands: [ip, ping]") ?? into.commands;
  into.kernel = readList(ctx, "kernel", pairs.get("kernel")?.value, KERNEL_FEATURES, "kernel: [netns, veth]") ?? into.kernel;
}

/** Check every key of the front matter map; unknown keys and wrong types are errors, missing optional keys get defaults. */
export function readFrontMatterMap(map: YAMLMap, ctx: Ctx): FrontMatter {
  const fm = defaultFrontMatter();
  const pairs = pairsByKey(ctx, map, TOP_KEYS, "the front matter", FRONT_MATTER_EXAMPLE);
  fm.format = readFormat(ctx, pairs.get("format"));
  const idPair = pairs.get("id");
  const idRaw = scalarValue(ctx, idPair?.value);
  const id = readString(ctx, "id", idPair?.value, FRONT_MATTER_EXAMPLE)?.trim();
  if (id) fm.id = id;
  else if (idRaw === undefined || typeof idRaw === "string") {
    // Missing, empty or blank (a wrong type was reported by readString already).
    const what = idPair === undefined ? "has no" : "has an empty";
    report(ctx, idPair?.key as Node, "front-matter/missing-key", `the front matter ${what} \`id\``, "id: <lowercase-words-with-dashes>", FRONT_MATTER_EXAMPLE);
  }
  // `title` is optional (the contract requires only format and id): without it the lab is named by its `# H1`.
  fm.title = readString(ctx, "title", pairs.get("title")?.value, FRONT_MATTER_EXAMPLE)?.trim() ?? "";
  if (fm.id !== "" && (!ID_PATTERN.test(fm.id) || fm.id.length > ID_MAX_LENGTH)) {
    report(ctx, pairs.get("id")?.value as Node, "front-matter/bad-id", badIdMessage(fm.id), `[a-z0-9-]+, at most ${ID_MAX_LENGTH} characters`, "id: veth-pair");
  }
  fm.summary = readString(ctx, "summary", pairs.get("summary")?.value, "summary: One sentence shown in the lab list.") ?? "";
  const level = readString(ctx, "level", pairs.get("level")?.value, "level: beginner");
  if (level !== undefined) {
    if ((LEVELS as readonly string[]).includes(level)) fm.level = level as Level;
    else report(ctx, pairs.get("level")?.value as Node, "front-matter/bad-level", `unknown level \`${level}\`${didYouMean(level, LEVELS)}`, `one of: ${LEVELS.join(", ")}`, "level: beginner");
  }
  const durationNode = pairs.get("duration")?.value;
  const durationValue = scalarValue(ctx, durationNode);
  if (durationValue !== undefined) {
    const parsed = typeof durationValue === "string" ? parseDurationSeconds(durationValue) : { ok: false as const, reason: `${JSON.stringify(durationValue)} has no unit` };
    if (parsed.ok) {
      fm.duration = (durationValue as string).trim();
      fm.durationSeconds = parsed.seconds;
    } else {
      report(ctx, durationNode as Node, "front-matter/bad-duration", `\`duration\`: ${parsed.reason}`, `a duration such as ${DURATION_EXAMPLES}`, "duration: 15m");
    }
  }
  readRequires(ctx, pairs.get("requires")?.value, fm.requires);
  fm.uses = readList(ctx, "uses", pairs.get("uses")?.value, FIXTURES, "uses: [busybox-rootfs]") ?? [];
  return fm;
}
