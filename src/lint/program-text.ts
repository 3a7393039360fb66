// What a program in another language (Python, Perl, Ruby, awk, Tcl …) hands to a shell or the network, read from
// its text: its string literals and argument lists run as commands (os.system('…'), exec "ip", …), Perl's and
// Ruby's backticks, qx{} and %x(), Tcl's `exec`; and the addresses it connects to — a URL, an IP address
// (`"1.1.1.1:80"`), a `("host", port)` pair — become the network command that would reach them, so the
// network rules judge them. Only what is written literally is read: the program's own logic is not.
import { decodeAnsiC } from "../shell/words.js";

type Found = { code: string; via: string } | { unknown: string };

/** String literals, Perl's q{}/qq{}/q()/qq(), and the forms that run a shell: `…`, qx{}, qx(), %x{}, %x(). */
const LITERALS = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|\bqq?\{([^}]*)\}|\bqq?\(([^)]*)\)|`([^`]*)`|\bqx\{([^}]*)\}|\bqx\(([^)]*)\)|%x\{([^}]*)\}|%x\(([^)]*)\)/g;
/** An argument list: `["ip", "link", …]`, `exec "ip", "link", …`. */
const LIST = /(?:["'][^"'\n]*["']\s*,\s*)+["'][^"'\n]*["']/g;
/** A full IPv4 address or an IPv6 one, with an optional port (`1.1.1.1:80`, `[2001:db8::1]:53`). */
const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-f]*:[0-9a-f:.]*:[0-9a-f.]*\]?)(:\d+)?$/i;
/** `("host", port)`: Python's socket address. */
const HOST_PORT = /\(\s*["']([A-Za-z0-9._-]+)["']\s*,\s*(\d+)\s*\)/g;

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
/** Literals joined into one string: `"ip link set " + "eth0"` (Python, JS), `'a' . 'b'` (Perl, PHP), `"a" .. "b"` (Lua). */
const JOINED = /(?:(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\s*(?:\+|\.\.?)\s*)+(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g;
/** Perl's word lists: `qw(ip link set eth0 down)`, `qw{…}`, `qw[…]`, `qw/…/`. */
const WORD_LIST = /\bqw\s*(?:\(([^)]*)\)|\{([^}]*)\}|\[([^\]]*)\]|\/([^/]*)\/)/g;
/** The machine's uplink named in a program's string (`b"eth0"` for an ioctl, pyroute2's `ifname="eth0"`). */
const UPLINK_LITERAL = /^(eth0|ens\d+|enp\d+s\d+(f\d+)?|eno\d+)(:\d+)?$/;

/** Text a program makes at run time: decoded (base64, hex, rot13, zlib) or evaluated from something not literal. */
const DECODES = /\b(b64decode|b32decode|b16decode|a85decode|b85decode|decodebytes|unhexlify|fromhex|decode_base64|decode_hex|MIME::Base64|atob|rot13|rot_13|zlib\.decompress|marshal\.loads|pickle\.loads|unpack\s*\(\s*["']H|pack\s*\(\s*["']H)\b/;
/** A call that runs a command, whose first argument is not a literal (`os.system(cmd)`, `execSync(argv[1])`, `"…" + x`). */
const RUNNER = /\b(system|popen|spawn\w*|exec[lv]p?e?|check_output|check_call|call|run|Popen|getoutput|getstatusoutput|execSync|execFileSync|spawnSync|shell_exec|passthru|proc_open|execute|eval|exec)\s*\(\s*/g;

/** A literal (also literals joined with `+`, `.`, `..`), a list of literals, or no argument, then `,` or `)`. */
const LIT = `(?:'(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\$]|\\\\.)*")`;
const LITERAL_ARGUMENT = new RegExp(`^(?:${LIT}(?:\\s*(?:\\+|\\.\\.?)\\s*${LIT})*|\\[\\s*(?:${LIT}\\s*,?\\s*)*\\]|\\)|$)\\s*([,)]|$)`);

/** Why the gate cannot read what a program runs, if it builds or decodes its command at run time. */
function builtAtRunTime(code: string): string | undefined {
  if (DECODES.test(code)) return `text the program decodes at run time (${DECODES.exec(code)?.[1]})`;
  for (const m of code.matchAll(RUNNER)) {
    const rest = code.slice((m.index ?? 0) + m[0].length);
    // A literal, a list of literals, or nothing: read as such. Anything else (a name, a call, `"…" + x`) is built.
    const arg = LITERAL_ARGUMENT.exec(rest);
    if (!arg) return `a command the program builds at run time (\`${m[1]}(${rest.split(/[)\n]/)[0]?.slice(0, 40)}…)\`)`;
  }
  return undefined;
}

export function programText(name: string, code: string): Found[] {
  const out: Found[] = [];
  const built = builtAtRunTime(code);
  if (built) out.push({ unknown: built });
  for (const m of code.matchAll(LITERALS)) {
    const text = decodeAnsiC(m.slice(1).find((x) => x !== undefined) ?? "");
    out.push({ code: text, via: `${name} string` });
    if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text)) out.push({ code: `curl ${quote(text)}`, via: `${name} URL` });
    else if (ADDRESS.test(text)) out.push({ code: `nc ${quote(text.replace(/^\[([^\]]+)\](:\d+)?$/, "$1"))}`, via: `${name} address` });
  }
  for (const m of code.matchAll(JOINED)) out.push({ code: [...m[0].matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((x) => decodeAnsiC(x[1] ?? x[2] ?? "")).join(""), via: `${name} joined strings` });
  for (const m of code.matchAll(WORD_LIST)) out.push({ code: (m.slice(1).find((x) => x !== undefined) ?? "").trim(), via: `${name} qw list` });
  // A program that names the uplink can change it without any command (an ioctl, a netlink library): the gate
  // does not follow the program's logic, so the name alone is refused — as the interface the program changes.
  for (const m of code.matchAll(LITERALS)) {
    const text = m.slice(1).find((x) => x !== undefined) ?? "";
    if (UPLINK_LITERAL.test(text)) out.push({ code: `ip link set dev ${text}`, via: `${name} program that names ${text}` });
  }
  for (const m of code.matchAll(LIST)) out.push({ code: [...m[0].matchAll(/["']([^"'\n]*)["']/g)].map((x) => quote(x[1] ?? "")).join(" "), via: `${name} argument list` });
  for (const m of code.matchAll(HOST_PORT)) if (!ADDRESS.test(m[1] ?? "")) out.push({ code: `nc ${quote(m[1] ?? "")} ${m[2] ?? ""}`, via: `${name} socket address` });
  // Tcl's `exec PROGRAM ARGS` runs a program with bare words: its lines read as shell say the same.
  // expect's `spawn [-opts] PROGRAM ARGS` starts a program the same way (its own commands are not programs).
  if (/^(tclsh|wish|expect)/.test(name)) out.push({ code: (name === "expect" ? code.replace(/(^|[;\n])\s*(expect|send|interact|exp_continue|set|puts)\b[^;\n]*/g, "$1") : code).replace(/\bspawn\s+(?:-\S+\s+)*/g, ""), via: `${name} exec` });
  return out;
}

/** The program file an interpreter runs (`python3 -u FILE`, `awk -f FILE`), unless it runs a module or code. */
export function programFile(name: string, words: string[]): string | undefined {
  if (/^(awk|gawk|mawk|nawk)$/.test(name)) {
    const at = words.findIndex((w) => w === "-f" || w === "--file");
    if (at > 0) return words[at + 1];
    return words.find((w) => /^(-f.|--file=)/.test(w))?.replace(/^(-f|--file=)/, "");
  }
  for (let k = 1; k < words.length; k++) {
    const w = words[k] ?? "";
    if (w === "-m" || w === "--") return undefined;
    if (w.startsWith("-")) {
      if (/^-[WXQI]$/.test(w)) k++;
      continue;
    }
    return w;
  }
  return undefined;
}
