// safety/dns-name: which host names a lab may use. Names it pins itself (`curl --resolve`) and reserved names
// (*.test, RFC 6761) inside its own network namespace never reach DNS outside; every other name does.
import { describe, expect, test } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { lintLab } from "../../src/lint/lint.js";

function dnsProblems(block: string, info = "sh"): number {
  const source = `---\nformat: 1\nid: dns-case\n---\n\n# Dns case\n\nIntro.\n\n## Step\n\nDo it:\n\n\`\`\`${info}\n${block}\n\`\`\`\n\nDone.\n`;
  const parsed = parseLab(source, "dns-case.md");
  if (!parsed.ok) throw new Error("the case must parse");
  return lintLab(parsed.lab, source).filter((d) => d.code === "safety/dns-name").length;
}

describe("safety/dns-name", () => {
  test.each([
    ["a public name", "curl -fsS https://example.com/", 1],
    ["a reserved name on the host (the host's resolver would be asked)", "curl -fsS https://a.example.test/", 1],
    ["a reserved name in the lab's network namespace", "ip netns add rl-client; ip netns exec rl-client curl -fsS https://a.example.test/", 0],
    ["a name pinned with --resolve", "curl --resolve a.example.test:443:10.231.13.10 https://a.example.test/", 0],
    ["a name pinned with --resolve=", "curl --resolve=a.example.test:443:10.231.13.10 https://a.example.test/", 0],
    ["a public name pinned for another host", "curl --resolve a.example.test:443:10.231.13.10 https://example.com/", 1],
    ["a public name in a namespace", "ip netns exec rl-client curl -fsS https://example.com/", 1],
  ])("%s", (_what, command, problems) => {
    expect(dnsProblems(command)).toBe(problems);
  });
});
