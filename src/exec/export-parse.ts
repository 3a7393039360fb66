// Parses what `export -p` prints, so the variables a learner set in "type it myself" can be carried back into
// the runner's session. Pure. Handles bash (`declare -x NAME="v"`, `export NAME="v"` in POSIX mode, `$'…'`)
// and busybox ash / dash (`export NAME='v'`, with `'\''` for quotes). Values may span lines.

/** Reads one shell word starting at `i` (quotes and backslashes resolved); stops at an unquoted blank/newline. */
function readWord(text: string, start: number): { value: string; end: number } {
  let i = start;
  let value = "";
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n") break;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close === -1 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === "$" && text[i + 1] === "'") {
      i += 2;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) {
          const esc = text[i + 1]!;
          const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", e: "\x1b", E: "\x1b", a: "\x07", b: "\b", "\\": "\\", "'": "'", '"': '"' };
          if (simple[esc] !== undefined) {
            value += simple[esc];
            i += 2;
          } else if (esc === "x" && /^[0-9a-fA-F]{1,2}/.test(text.slice(i + 2, i + 4))) {
            const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4))![0];
            value += String.fromCharCode(parseInt(hex, 16));
            i += 2 + hex.length;
          } else if (/^[0-7]/.test(esc)) {
            const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))![0];
            value += String.fromCharCode(parseInt(oct, 8));
            i += 1 + oct.length;
          } else {
            value += text.slice(i, i + 2);
            i += 2;
          }
        } else value += text[i++];
      }
      i++;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== "\n") value += text[i + 1];
          i += 2;
        } else value += text[i++];
      }
      i++;
    } else if (c === "\\" && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: i };
}

/**
 * Variables with values from `export -p` output. Names exported without a value (`declare -x NAME`) are left
 * out: they have no value to carry.
 */
export function parseExportP(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const head = /^(?:declare -[a-zA-Z-]*x[a-zA-Z]* |export |readonly )?([A-Za-z_][A-Za-z0-9_]*)(=?)/.exec(rest);
    if (!head) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl + 1;
      continue;
    }
    i += head[0].length;
    if (head[2] === "=") {
      const word = readWord(text, i);
      vars[head[1]!] = word.value;
      i = word.end;
    }
    const nl = text.indexOf("\n", i);
    i = nl === -1 ? text.length : nl + 1;
  }
  return vars;
}
