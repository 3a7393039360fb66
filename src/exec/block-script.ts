// The text rootlab sends to a session's shell for one block, and the scanner that finds the end of its output.
// Pure. POSIX sh: bash, dash and busybox ash all run it.
//
// Shape (script mode):
//   __rl_rc=0; command eval '<body>' <<'__RL_EOF_<nonce>'
//   .
//   __RL_EOF_<nonce>
//   __rl_ev=$?; …; printf … "$__rl_ev"; printf … >&2; unset …
// where <body> is `read -r __rl_x; for __rl_once in 1; do <cmd1> <check> … done` and each <check> records the
// failing command's line and `break`s out. Why this shape:
// - it runs in the shell itself (not a function, not a subshell), so variables, cwd and namespaces carry on, and
//   error messages read as in a terminal ("bash: foo: command not found", not "main: line 3: …");
// - `command eval` turns a syntax error in the block into exit status 2 instead of ending the shell (a
//   non-interactive shell exits on syntax errors), and an unterminated quote cannot swallow the protocol;
// - a one-line here-document is the block's stdin, and the block first reads that line: commands then see EOF
//   (`cat`, `read`) instead of eating the protocol. Not an empty one: bash serves an empty here-document from
//   /dev/null, else a temp file, and a fresh pivot_root or chroot has neither; one line always goes through a pipe;
// - the sentinels are printed as two printf arguments, so the text sent never contains them literally (a session
//   that echoes its input cannot fake the end of a block).
// Check mode runs the eval in a subshell `( … )`, so a check never changes the session.

import type { ShellCommand } from "../shell/types.js";

export type BlockMode = "script" | "check";

export interface BlockScriptInput {
  commands: ShellCommand[];
  nonce: string;
  mode: BlockMode;
  /** Shell text run in the session before the block, outside it (e.g. `export ROOTLAB_SESSION_C_PID=…`). */
  prelude?: string;
}

const PREFIX = "__RL_";

/** What marks protocol records for this nonce in the session's output. */
export function sentinelMarker(nonce: string): string {
  return PREFIX + nonce;
}

/** A shell command that prints the record `<marker><tag> <value>` on stdout; `value` is shell text (e.g. "$!"). */
export function recordCommand(nonce: string, tag: string, value: string): string {
  return `printf '%s%s${tag} %s\\n' ${PREFIX} ${nonce} ${value}`;
}

/** Single-quotes a string for any POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function blockScript({ commands, nonce, mode, prelude }: BlockScriptInput): string {
  const body: string[] = ["read -r __rl_x; for __rl_once in 1; do"];
  if (!commands.length) body.push(":");
  for (const cmd of commands) {
    // A trailing backslash would join the command with our check line.
    body.push(/(^|[^\\])(\\\\)*\\$/.test(cmd.text) ? `${cmd.text}\n` : cmd.text);
    body.push(`__rl_rc=$?; if [ $__rl_rc -ne 0 ]; then ${recordCommand(nonce, "L", String(cmd.line))}; break; fi`);
  }
  body.push("done");
  if (mode === "check") body.push("exit $__rl_rc");
  const evalCmd = `command eval ${shellQuote(body.join("\n"))}`;
  const run = mode === "check" ? `( ${evalCmd} )` : evalCmd;
  const eof = `__RL_EOF_${nonce}`;
  return [
    prelude ?? "",
    `__rl_rc=0; ${run} <<'${eof}'`,
    ".",
    eof,
    `__rl_ev=$?; if [ "$__rl_rc" -ne 0 ]; then __rl_ev=$__rl_rc; fi; ${recordCommand(nonce, "", '"$__rl_ev"')}; ` +
      `printf '%s%s\\n' ${PREFIX} ${nonce} >&2; unset __rl_rc __rl_ev __rl_once __rl_x`,
    "",
  ].join("\n");
}

/**
 * Finds protocol records (`<marker><payload>\n`) in a stream as chunks arrive, and passes everything else on.
 * A possible partial marker at a chunk's end is held back until the next chunk decides. The final record has a
 * payload starting with a space (stdout: " <status>") or an empty one (stderr); text after it is `leftover`.
 */
export class SentinelScanner {
  private buf = "";
  readonly records: string[] = [];
  done = false;
  leftover = "";

  constructor(private readonly marker: string) {}

  /** Feeds a chunk; returns the output text that is certainly not part of a record. */
  push(chunk: string): string {
    if (this.done) {
      this.leftover += chunk;
      return "";
    }
    this.buf += chunk;
    let out = "";
    for (;;) {
      const at = this.buf.indexOf(this.marker);
      if (at < 0) {
        const keep = partialMarkerLength(this.buf, this.marker);
        out += this.buf.slice(0, this.buf.length - keep);
        this.buf = this.buf.slice(this.buf.length - keep);
        return out;
      }
      const nl = this.buf.indexOf("\n", at + this.marker.length);
      out += this.buf.slice(0, at);
      if (nl < 0) {
        this.buf = this.buf.slice(at);
        return out;
      }
      const payload = this.buf.slice(at + this.marker.length, nl);
      this.buf = this.buf.slice(nl + 1);
      this.records.push(payload);
      if (payload === "" || payload.startsWith(" ")) {
        this.done = true;
        this.leftover = this.buf;
        this.buf = "";
        return out;
      }
    }
  }

  /** Text held back so far (a partial marker); given out when the stream ends without a sentinel. */
  flush(): string {
    const rest = this.buf;
    this.buf = "";
    return rest;
  }

  /** The value of the last record with this tag (e.g. "L" → failing line), if any. */
  record(tag: string): string | undefined {
    for (let k = this.records.length - 1; k >= 0; k--) {
      const r = this.records[k] as string;
      if (r.startsWith(`${tag} `)) return r.slice(tag.length + 1);
    }
    return undefined;
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `marker`. */
function partialMarkerLength(text: string, marker: string): number {
  for (let k = Math.min(text.length, marker.length - 1); k > 0; k--) {
    if (marker.startsWith(text.slice(text.length - k))) return k;
  }
  return 0;
}
