// Short Markdown (a hint, a one-line note) as plain text, without loading the Markdown parser: the console
// reporter must stay cheap to import. Full rendering (lists, tables, alerts) is markdown.ts.

const INLINE: [RegExp, string][] = [
  [/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, "$1 ($2)"], // images
  [/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, "$1 ($2)"], // links
  [/<((?:https?|mailto):[^>\s]+)>/g, "$1"], // autolinks
  [/(\*\*|__)(?=\S)([^*_]*?\S)\1/g, "$2"], // strong
  [/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\*)/g, "$1$2"], // *em*
  [/(^|[^\w_])_(?=\S)([^_]*?\S)_(?![\w_])/g, "$1$2"], // _em_, not snake_case
  [/~~(?=\S)([^~]*?\S)~~/g, "$1"], // strikethrough
];

function inline(text: string): string {
  // Code spans keep their content (and backticks) verbatim, and an escaped character is just that character:
  // protect both from the rules above.
  const spans: string[] = [];
  const masked = text
    .replace(/`[^`\n]+`/g, (span) => `\u0000${spans.push(span) - 1}\u0000`)
    .replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, (_m, c: string) => `\u0000${spans.push(c) - 1}\u0000`);
  const plain = INLINE.reduce((t, [re, to]) => t.replace(re, to), masked);
  return plain.replace(/\u0000(\d+)\u0000/g, (_m, k: string) => spans[Number(k)] ?? "");
}

const BLOCK_START = /^(\s*([-*+]|\d+[.)])\s|#{1,6}\s|>|\s*$)/;

/**
 * Markdown → plain text: emphasis markers dropped, links as "text (url)", code spans kept with their
 * backticks, the lines of a paragraph joined (so the caller can wrap them), fenced code indented by four
 * spaces, list items and block structure kept on their own lines.
 */
export function markdownToPlain(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  let joinable = false;
  for (const raw of md.replace(/\r\n/g, "\n").split("\n")) {
    const fenceMatch = /^\s*(```+|~~~+)/.exec(raw);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) fence = undefined;
      else out.push(`    ${raw}`);
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      joinable = false;
      continue;
    }
    if (raw.trim() === "") {
      out.push("");
      joinable = false;
      continue;
    }
    let line = raw.replace(/^#{1,6}\s+/, "").replace(/^\s*>\s?/, "");
    if (/^\s*([-*+_])(\s*\1){2,}\s*$/.test(line)) line = "";
    line = inline(line);
    if (joinable && !BLOCK_START.test(raw)) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line.trimEnd());
    joinable = !/^#{1,6}\s/.test(raw);
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
