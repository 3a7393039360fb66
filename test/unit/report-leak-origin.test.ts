// A lab that leaves a namespace or link behind: the console report says where the lab made it and the cleanup
// line that removes it (leakFixes), not only what was left.
import { describe, expect, test } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { leakFixes } from "../../src/report/leak-origin.js";
import type { Leak } from "../../src/host/types.js";

const LAB = [
  "---", "format: 1", "id: t", "title: T", "---", "", "# T", "", "Intro about rl-red-ish names.", "",
  "## Make them", "", "Make:", "", "```sh", "ip netns add rl-red", "ip link add rl-h type veth peer name rl-c", "```", "",
  "```sh cleanup", "ip netns del rl-red", "ip link del rl-h", "```", "", "Done.", "",
  "## More", "", "More:", "", "```sh", "ip netns add rl-blue", "```", "", "Done.", "",
].join("\n");
const parsed = parseLab(LAB, "t.md");
if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
const lab = parsed.lab;

describe("leakFixes", () => {
  test.each<[string, Leak[], string[]]>([
    ["a namespace: where it is made and the line that removes it", [{ kind: "netns", name: "rl-blue" }], ['netns rl-blue is made at t.md:32 and no cleanup removes it: add `ip netns del rl-blue 2>/dev/null || true` to a ```sh cleanup block of step 2 "More"']],
    ["a word that only starts with the name is not it (rl-red-ish)", [{ kind: "netns", name: "rl-red" }], ["netns rl-red is made at t.md:16 "]],
    ["a link named with its peer", [{ kind: "link", name: "rl-c@rl-h" }], ['link rl-c is made at t.md:17 and no cleanup removes it: add `ip link del rl-c 2>/dev/null || true` to a ```sh cleanup block of step 1 "Make them"']],
    ["mounts and processes: no fix line", [{ kind: "mount", name: "/run/netns/rl-blue (nsfs)" }, { kind: "process", name: "123 sleep" }], []],
    ["a name the lab never writes: no guess", [{ kind: "netns", name: "rl-other" }], []],
  ])("%s", (_name, leaks, expected) => {
    const texts = leakFixes(lab, leaks).map((d) => `${d.label === "fix" ? "" : "?"}${d.text ?? ""}`);
    expect(texts).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(texts[i]).toContain(e));
  });

  test("no lab (a report without the model): nothing", () => {
    expect(leakFixes(undefined, [{ kind: "netns", name: "rl-blue" }])).toEqual([]);
  });
});
