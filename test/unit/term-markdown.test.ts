import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/term/markdown.js";
import { highlightShell } from "../../src/term/highlight.js";
import { createStyle, plainStyle } from "../../src/term/style.js";
import { stripAnsi } from "../../src/term/width.js";

const PLAIN = plainStyle();
const ASCII = plainStyle(false);
const COLOR = createStyle({ isTTY: true }, { TERM: "xterm", LANG: "C.UTF-8" });
const md = (text: string, width = 40, style = PLAIN) => renderMarkdown(text, { width, style });

describe("renderMarkdown, colour off", () => {
  it.each([
    ["paragraph wrapped, soft breaks joined", "one two three\nfour five six seven eight nine", 20, "one two three four\nfive six seven eight\nnine"],
    ["two paragraphs", "a\n\nb", 40, "a\n\nb"],
    ["emphasis is plain, code keeps backticks", "**bold** *em* ~~del~~ `ip a`", 40, "bold em del `ip a`"],
    ["entities decoded", "a &amp; b &lt;c&gt; &#x41;&#66; &copy;", 40, "a & b <c> AB ©"],
    ["backslash escapes", "\\*not em\\* 1\\. \\#", 40, "*not em* 1. #"],
    ["link with text", "see [the docs](https://x.org/a)", 40, "see the docs (https://x.org/a)"],
    ["autolink", "<https://x.org>", 40, "https://x.org"],
    ["bare GFM url", "go to https://x.org now", 40, "go to https://x.org now"],
    ["image", "![a diagram](img/n.png)", 40, "[image: a diagram] (img/n.png)"],
    ["hard break", "one  \ntwo", 40, "one\ntwo"],
    ["inline html dropped", "press <kbd>Ctrl</kbd>-C", 40, "press Ctrl-C"],
    ["html comment block", "<!-- hidden -->\n\nshown", 40, "shown"],
    ["h1 underlined", "# Title here", 40, "Title here\n=========="],
    ["h2 underlined", "## Step one", 40, "Step one\n--------"],
    ["h3 plain", "### Detail", 40, "Detail"],
    ["heading then text", "## A\ntext", 40, "A\n-\n\ntext"],
    ["bullets", "- a\n- b", 40, "• a\n• b"],
    ["numbered from start", "3. c\n4. d", 40, "3. c\n4. d"],
    ["numbered aligns past 9", Array.from({ length: 10 }, (_, k) => `${k + 1}. x`).join("\n"), 40, Array.from({ length: 10 }, (_, k) => `${`${k + 1}.`.padEnd(3)} x`).join("\n")],
    ["nested lists", "1. one\n   - a\n   - b\n2. two", 40, "1. one\n   • a\n   • b\n2. two"],
    ["loose list", "- a\n\n- b", 40, "• a\n\n• b"],
    ["task list", "- [x] done\n- [ ] todo", 40, "• [x] done\n• [ ] todo"],
    ["list item wraps under its text", "- aaaa bbbb cccc dddd", 12, "• aaaa bbbb\n  cccc dddd"],
    ["block quote", "> quoted\n> text", 40, "│ quoted text"],
    ["nested quote", "> a\n>\n> > b", 40, "│ a\n│\n│ │ b"],
    ["horizontal rule", "a\n\n---\n\nb", 10, "a\n\n──────────\n\nb"],
    ["code block indented, verbatim", "```sh\n# make it\nip netns add \"rl-x\"\n```", 40, "    # make it\n    ip netns add \"rl-x\""],
    ["a long shell word is cut the shell's way (backslash-newline)", "```sh\n" + "x".repeat(50) + "\n```", 24, `    ${"x".repeat(19)}\\\n${"x".repeat(19)}\\\n${"x".repeat(12)}`],
    ["what goes on after a cut word, a line inside quotes and a heredoc start at column 0 (an indent there would be typed or copied into the command)", "```sh\npython3 -c '\nprint(1)\n'\ncat <<EOF\nbody\nEOF\necho done\n```", 40, "    python3 -c '\nprint(1)\n'\n    cat <<EOF\nbody\nEOF\n    echo done"],
    ["a long command breaks at a space with a continuation", "```sh\nip link add rl-a type veth peer name rl-b\n```", 30, "    ip link add rl-a type \\\n        veth peer name rl-b"],
    // A `text` block often holds a command to copy (layers step 7): broken like prose it would copy as two commands.
    ["other code is never broken: a wide line stays one line", "```text\nmount -t overlay overlay -o lowerdir=/a,upperdir=/b /c\n```", 24, "    mount -t overlay overlay -o lowerdir=/a,upperdir=/b /c"],
    ["not even inside quotes", '```text\ngrep -w aufs /proc/filesystems || echo "no aufs: use overlayfs"\n```', 40, '    grep -w aufs /proc/filesystems || echo "no aufs: use overlayfs"'],
    ["code block with attributes in the info string", "```sh verify session=c\ntest -e /x\n```", 40, "    test -e /x"],
    ["code after text gets a blank line", "text\n```sh\nls\n```", 40, "text\n\n    ls"],
  ])("%s", (_name, input, width, expected) => {
    expect(md(input, width)).toBe(expected);
  });

  it("renders GitHub alerts as labelled boxes", () => {
    expect(md("> [!NOTE]\n> Namespaces are **not** containers.", 30)).toBe(
      ["┌─ Note ──────────────────────", "│ Namespaces are not", "│ containers.", "└─────────────────────────────"].join("\n"),
    );
    for (const [kind, label] of [["TIP", "Tip"], ["WARNING", "Warning"], ["IMPORTANT", "Important"], ["CAUTION", "Caution"], ["note", "Note"]]) {
      expect(md(`> [!${kind}]\n> x`, 30).split("\n")[0]).toMatch(new RegExp(`^┌─ ${label} ─+$`));
    }
  });

  it("alerts hold several paragraphs, lists and code", () => {
    expect(md("> [!TIP]\n> First.\n>\n> - a\n> - b\n>\n> ```sh\n> ls\n> ```", 30)).toBe(
      ["┌─ Tip ───────────────────────", "│ First.", "│", "│ • a", "│ • b", "│", "│     ls", "└─────────────────────────────"].join("\n"),
    );
  });

  it("an unknown alert kind is a plain quote", () => {
    expect(md("> [!FOO]\n> x")).toBe("│ [!FOO] x");
  });

  it("renders tables as aligned columns", () => {
    const table = "| Command | Does | ms |\n|:--|:-:|--:|\n| `ip a` | list | 1 |\n| `unshare -n` | new netns | 12 |";
    expect(md(table, 60)).toBe(
      [
        `Command${" ".repeat(9)}Does${" ".repeat(5)}ms`,
        `${"─".repeat(12)}  ${"─".repeat(9)}  ──`,
        `\`ip a\`${" ".repeat(10)}list${" ".repeat(6)}1`,
        "`unshare -n`  new netns  12",
      ].join("\n"),
    );
  });

  it("wraps table cells that do not fit", () => {
    const table = "| a | b |\n|---|---|\n| short | a long cell that has to wrap somewhere |";
    const lines = md(table, 30).split("\n");
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.slice(2).join(" ").replace(/\s+/g, " ")).toBe("short a long cell that has to wrap somewhere");
  });

  it("without Unicode uses ASCII only", () => {
    const all = md("# T\n\n- a\n\n> [!WARNING]\n> w\n\n> q\n\n---\n\n| a |\n|---|\n| b |", 20, ASCII);
    expect(all).toMatch(/^[\x20-\x7e\n]*$/);
    expect(all).toContain("+- Warning ---------");
    expect(all).toContain("* a");
    expect(all).toContain("> q");
  });

  it("never emits escape sequences with colour off", () => {
    const text = md("# *T* `c`\n\n**b** [l](u)\n\n```sh\necho 'x' # c $HOME\n```\n\n> [!CAUTION]\n> c", 40);
    expect(text).not.toContain("\x1b");
  });
});

describe("renderMarkdown, colour on", () => {
  it("styles headings, emphasis, code and links", () => {
    const text = md("# Title\n\n**b** *e* `c` [l](https://u)", 40, COLOR);
    expect(text).toContain("\x1b[1m\x1b[4mTitle\x1b[24m\x1b[22m");
    expect(text).toContain("\x1b[1mb\x1b[22m \x1b[3me\x1b[23m \x1b[36mc\x1b[39m \x1b[4ml\x1b[24m \x1b[2m(https://u)\x1b[22m");
    expect(stripAnsi(text)).toBe("Title\n\nb e c l (https://u)");
  });

  it("colours alert boxes by kind", () => {
    expect(md("> [!WARNING]\n> w", 20, COLOR).split("\n")[0]).toContain("\x1b[33m");
    expect(md("> [!CAUTION]\n> w", 20, COLOR).split("\n")[0]).toContain("\x1b[31m");
  });
});

describe("highlightShell", () => {
  it("returns the code unchanged with colour off", () => {
    const code = "# c\n$ echo \"a # b\" '$X' $Y";
    expect(highlightShell(code, "sh", PLAIN)).toEqual(code.split("\n"));
  });

  it.each([
    ["comment", "sh", "ls # list", "ls \x1b[2m# list\x1b[22m"],
    ["hash inside a word is not a comment", "sh", "echo a#b", "echo a#b"],
    ["strings", "sh", `echo "a # b" 'c'`, `echo \x1b[32m"a # b"\x1b[39m \x1b[32m'c'\x1b[39m`],
    ["variables", "bash", "echo $HOME ${LAB_DIR} $?", "echo \x1b[36m$HOME\x1b[39m \x1b[36m${LAB_DIR}\x1b[39m \x1b[36m$?\x1b[39m"],
    ["prompt in sh", "sh", "$ ls", "\x1b[2m$ \x1b[22m\x1b[1mls\x1b[22m"],
    ["console output left alone", "console", "rl-red (id: 0) # not a comment", "rl-red (id: 0) # not a comment"],
    ["console root prompt", "console", "# whoami", "\x1b[2m# \x1b[22m\x1b[1mwhoami\x1b[22m"],
  ])("%s", (_name, lang, line, expected) => {
    expect(highlightShell(line, lang, COLOR)).toEqual([expected]);
  });

  it("carries an open string to the next line", () => {
    const [a, b, c] = highlightShell("echo 'one\ntwo' # c\nls", "sh", COLOR);
    expect(a).toBe("echo \x1b[32m'one\x1b[39m");
    expect(b).toBe("\x1b[32mtwo'\x1b[39m \x1b[2m# c\x1b[22m");
    expect(c).toBe("ls");
  });
});
