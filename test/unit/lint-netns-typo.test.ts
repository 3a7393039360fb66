// A namespace name the lab does not create, next to one it does, is usually a typo (often in a cleanup): the
// safety messages name the lab's own namespace so the author sees the slip, not only the danger.
import { describe, expect, test } from "vitest";
import { lintLab } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";

function messages(cleanup: string): string[] {
  const source = `---\nformat: 1\nid: t\ntitle: T\n---\n\n# T\n\nIntro.\n\n## Step\n\nMake:\n\n\`\`\`sh\nip netns add rl-red\n\`\`\`\n\n\`\`\`sh cleanup\n${cleanup}\n\`\`\`\n\nDone.\n`;
  const parsed = parseLab(source, "t.md");
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return lintLab(parsed.lab, source).filter((d) => d.code.startsWith("safety/")).map((d) => `${d.code}: ${d.message}`);
}

describe("a namespace the lab does not create: did you mean the one it does?", () => {
  test.each([
    ["delete, one letter missing", "ip netns del rl-rd", ["safety/host-network", "`rl-rd`", "(did you mean `rl-red`?)"]],
    ["delete, two letters swapped", "ip netns delete rl-rde 2>/dev/null || true", ["safety/host-network", "(did you mean `rl-red`?)"]],
    ["ip -n into the typo", "ip -n rl-rde link set lo down", ["safety/uplink", "(a namespace this lab does not create; did you mean `rl-red`?)"]],
    ["ip netns exec into the typo", "ip netns exec rl-rde ip link set lo down", ["safety/uplink", "(a namespace this lab does not create; did you mean `rl-red`?)"]],
  ])("%s", (_name, cleanup, parts) => {
    const found = messages(cleanup);
    expect(found).toHaveLength(1);
    for (const part of parts) expect(found[0]).toContain(part);
  });

  test.each([
    ["no near name: no guess", "ip netns del other-thing", "which this lab does not create (`ip netns add other-thing`);"],
    ["no near name under ip -n", "ip -n somebody link set lo down", "(a namespace this lab does not create))"],
  ])("%s", (_name, cleanup, part) => {
    const found = messages(cleanup);
    expect(found).toHaveLength(1);
    expect(found[0]).not.toContain("did you mean");
    expect(found[0]?.replace(" (in the host session)", "")).toContain(part);
  });
});
