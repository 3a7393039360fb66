// Round 3 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round3.md):
// every attempt is a few lines followed by `#> expect: RULE[, RULE] — why` or `#> clean — why`. The gate must
// report exactly those safety rules on the attempt's lines, each with where, why and how to fix it.
import { describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { lintFiles, lintLab } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";
import { bypassRows } from "./bypass-fixture.js";

const FILE = fileURLToPath(new URL("../fixtures/lint/bypasses/round3.md", import.meta.url));

describe("round 3 bypass attempts (test/fixtures/lint/bypasses/round3.md)", async () => {
  const { diagnostics } = await lintFiles([FILE]);
  const safety = diagnostics.filter((d) => d.code.startsWith("safety/") || d.code.startsWith("internal/"));
  const table = bypassRows(FILE);

  test("the fixture has its rows, each with a reason", () => {
    expect(table.length).toBeGreaterThan(300);
    for (const r of table) expect(r.why.length, r.code).toBeGreaterThan(10);
  });

  test.each(table)("line $first: $code → $expected", (row) => {
    const found = [...new Set(safety.filter((d) => d.line >= row.first && d.line <= row.last).map((d) => d.code))].sort();
    expect(found).toEqual(row.expected);
  });

  test("nothing is reported outside the rows, and every report says where and how to fix it", () => {
    for (const d of safety) {
      expect(table.some((r) => d.line >= r.first && d.line <= r.last), `${d.line} ${d.code} ${d.message}`).toBe(true);
      expect(d.expected && d.example, d.code).toBeTruthy();
    }
  });
});

/** A lab around one host block. */
const lab = (code: string) => `---\nid: t\nformat: 1\n---\n# T\n\n## Step\n\nText.\n\n\`\`\`sh\n${code}\n\`\`\`\n\n\`\`\`sh verify\n# ok\ntrue\n\`\`\`\n`;

function codesOf(source: string): string[] {
  const parsed = parseLab(source, "t.md");
  const all = parsed.ok ? [...parsed.warnings, ...lintLab(parsed.lab, source)] : parsed.diagnostics;
  return [...new Set(all.map((d) => d.code))];
}

/** The safety/ codes of a lab around one host block. */
const safetyOf = (code: string) => codesOf(lab(code)).filter((c) => c.startsWith("safety/"));

// rootlab's own variables are trusted only while the lab leaves them alone. Each row is linted alone: in the
// fixture lab, `LAB_DIR=/` would change every other row's `$LAB_DIR` (a variable takes every value a lab gives it).
describe("rootlab's variables, reassigned or unset", () => {
  test.each<[string, string]>([
    ['LAB_DIR=/; rm -rf "$LAB_DIR/usr"', "safety/host-system"],
    ['export LAB_DIR=/usr; rm -rf "$LAB_DIR"', "safety/host-system"],
    ['unset LAB_DIR; rm -rf "$LAB_DIR"/usr', "safety/host-system"],
    ['unset d5; rm -rf "$d5"/usr', "safety/host-system"],
    ['ROOTLAB_SESSION_BOX_PID=1; nsenter -t "$ROOTLAB_SESSION_BOX_PID" -n ip link set eth0 down', "safety/uplink"],
    ['BUSYBOX_ROOTFS=/; systemd-nspawn -D "$BUSYBOX_ROOTFS" rm -rf /usr', "safety/host-system"],
  ])("%s → %s", (code, rule) => {
    expect(safetyOf(code)).toContain(rule);
  });

  test("left alone, they are the lab's paths", () => {
    expect(safetyOf('rm -rf "$LAB_DIR/usr"\nsystemd-nspawn -q -D "$BUSYBOX_ROOTFS" rm -rf /usr')).toEqual([]);
  });
});

describe("malformed shell and labs: a clear error, never a crash or a hang", () => {
  test.each<[string, string, string]>([
    ["$( … ) nested 3000 levels deep (the lexer's recursion would overflow the stack)", lab(`echo ${"$(".repeat(3000)}${")".repeat(3000)}\nip link set eth0 down`), "safety/unchecked"],
    ["a chain of 2000 variables (v2=$v1 …)", lab(`${Array.from({ length: 2000 }, (_, i) => `v${i + 1}=$v${i}`).join("\n")}\nip link set $v2000 down`), "safety/unchecked"],
    ["40 brace groups (2^40 words if expanded in full)", lab(`ip link set ${"a{b,c}".repeat(40)} down`), "lab/no-closing-step"],
    ["a lab that is only front matter", "---\nformat: 1\nid: t\n---\n", "lab/no-steps"],
    ["a lab that is only front matter and a title", "---\nformat: 1\nid: t\ntitle: T\n---\n\n# T\n\nNothing yet.\n", "lab/no-steps"],
    ["an unterminated here-document runs to the block's end (as bash reads it)", lab("cat <<EOF\nip link set eth0 down"), "no safety/"],
  ])("%s", (_name, source, code) => {
    if (code === "no safety/") expect(codesOf(source).filter((c) => c.startsWith("safety/"))).toEqual([]);
    else expect(codesOf(source)).toContain(code);
    expect(codesOf(source).some((c) => c.startsWith("internal/"))).toBe(false);
  });
});
