import { describe, expect, it } from "vitest";
import { markdownToPlain } from "../../src/term/plain.js";

describe("markdownToPlain", () => {
  it.each([
    ["plain", "List the namespaces.", "List the namespaces."],
    ["lines of a paragraph joined", "Run it\nagain.", "Run it again."],
    ["paragraphs kept apart", "One.\n\nTwo.", "One.\n\nTwo."],
    ["strong and em dropped", "**Really** *do* __it__ _now_", "Really do it now"],
    ["snake_case survives", "set my_var_name and *x*", "set my_var_name and x"],
    ["code spans kept verbatim", "Try `ip -br a` or `echo **x**`", "Try `ip -br a` or `echo **x**`"],
    ["links as text (url)", "See [ip-netns(8)](https://man7.org/x.html).", "See ip-netns(8) (https://man7.org/x.html)."],
    ["autolinks", "<https://x.org>", "https://x.org"],
    ["escapes", "\\*not\\* 1\\.", "*not* 1."],
    ["list items on their own lines", "Try:\n- `ip netns list`\n- `lsns -t net`", "Try:\n- `ip netns list`\n- `lsns -t net`"],
    ["fenced code indented", "Run:\n```sh\nip netns add rl-red\n```\nthen check.", "Run:\n    ip netns add rl-red\nthen check."],
    ["heading text", "## Why\ntext", "Why\ntext"],
    ["quote markers dropped", "> quoted", "quoted"],
  ])("%s", (_name, input, expected) => {
    expect(markdownToPlain(input)).toBe(expected);
  });
});
