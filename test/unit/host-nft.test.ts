import { describe, expect, it } from "vitest";
import { addedFirewallEntries, changedChains, firewallName, normaliseNftLine, parseNftRuleset } from "../../src/host/nft.js";

// Real `nft list ruleset` output from this machine (tabs as nft prints them).
const RULESET = [
  "table inet rlt3t {",
  "\tset s {",
  "\t\ttype ipv4_addr",
  "\t\telements = { 10.231.203.1, 10.231.203.2 }",
  "\t}",
  "",
  "\tchain forw {",
  "\t\ttype filter hook forward priority filter; policy accept;",
  '\t\tiifname "rlt3-br0" counter packets 12 bytes 3456 accept comment "a {brace}"',
  "\t\tip saddr @s counter packets 0 bytes 0 drop",
  "\t}",
  "",
  "\tchain sub {",
  "\t}",
  "}",
].join("\n");

const IPTABLES_FILTER = [
  "# Warning: table ip filter is managed by iptables-nft, do not touch!",
  "table ip filter {",
  "\tchain FORWARD {",
  "\t\ttype filter hook forward priority filter; policy accept;",
  "\t}",
  "}",
].join("\n");

describe("normaliseNftLine", () => {
  it.each([
    ['iifname "x" counter packets 12 bytes 3456 accept', 'iifname "x" counter accept'],
    ["ip saddr 10.0.0.1 drop # handle 17", "ip saddr 10.0.0.1 drop"],
    ["chain forw { # handle 1", "chain forw {"],
    ["quota over 10 mbytes used 512 kbytes drop", "quota over 10 mbytes drop"],
    ["\t\telements = { 10.0.0.1 expires 9s }", "elements = { 10.0.0.1 }"],
  ])("%s", (line, want) => expect(normaliseNftLine(line)).toBe(want));
});

describe("parseNftRuleset", () => {
  it("finds tables, chains (with hook and policy), rules (counters stripped) and sets", () => {
    expect(parseNftRuleset(RULESET).map(firewallName)).toEqual([
      "table inet rlt3t",
      "set inet rlt3t s",
      "chain inet rlt3t forw",
      'rule inet rlt3t forw: iifname "rlt3-br0" counter accept comment "a {brace}"',
      "rule inet rlt3t forw: ip saddr @s counter drop",
      "chain inet rlt3t sub",
    ]);
    const chain = parseNftRuleset(RULESET).find((e) => e.kind === "chain" && e.chain === "forw");
    expect(chain).toMatchObject({ props: "type filter hook forward priority filter; policy accept;" });
  });
  it("ignores comments and an empty ruleset", () => {
    expect(parseNftRuleset("")).toEqual([]);
    expect(parseNftRuleset(IPTABLES_FILTER).map(firewallName)).toEqual(["table ip filter", "chain ip filter FORWARD"]);
  });
});

describe("addedFirewallEntries", () => {
  const base = parseNftRuleset(RULESET);
  const cases: { name: string; before: string; after: string; want: string[] }[] = [
    { name: "nothing changed (counters moved)", before: RULESET, after: RULESET.replace("packets 12 bytes 3456", "packets 99 bytes 1"), want: [] },
    { name: "a new table is reported once", before: "", after: RULESET, want: ["table inet rlt3t"] },
    { name: "an empty table ip filter left by iptables-nft counts", before: RULESET, after: `${RULESET}\n${IPTABLES_FILTER}`, want: ["table ip filter"] },
    {
      name: "a rule added to an existing chain",
      before: RULESET,
      after: RULESET.replace("\t\tip saddr @s", '\t\toifname "rl-x" drop\n\t\tip saddr @s'),
      want: ['rule inet rlt3t forw: oifname "rl-x" drop'],
    },
    { name: "a new chain without its rules", before: RULESET, after: RULESET.replace("\tchain sub {\n\t}", "\tchain sub {\n\t}\n\tchain extra {\n\t\taccept\n\t}"), want: ["chain inet rlt3t extra"] },
    { name: "a duplicate rule counts (multiset)", before: RULESET, after: RULESET.replace("\t\tip saddr @s counter packets 0 bytes 0 drop", "\t\tip saddr @s counter packets 0 bytes 0 drop\n\t\tip saddr @s counter drop"), want: ["rule inet rlt3t forw: ip saddr @s counter drop"] },
    { name: "a removed rule is not a leak", before: RULESET, after: RULESET.replace("\t\tip saddr @s counter packets 0 bytes 0 drop\n", ""), want: [] },
    { name: "a policy change is not an added chain", before: RULESET, after: RULESET.replace("policy accept", "policy drop"), want: [] },
  ];
  it.each(cases)("$name", ({ before, after, want }) => {
    expect(addedFirewallEntries(parseNftRuleset(before), parseNftRuleset(after)).map(firewallName)).toEqual(want);
  });
  it("reports a changed chain policy with both versions", () => {
    const changes = changedChains(base, parseNftRuleset(RULESET.replace("policy accept", "policy drop")));
    expect(changes).toHaveLength(1);
    expect(changes[0]?.before.props).toContain("policy accept");
    expect(changes[0]?.after.props).toContain("policy drop");
  });
});
