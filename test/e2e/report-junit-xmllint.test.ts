// The JUnit report, validated by a real XML consumer: libxml2's xmllint against the JUnit XSD in
// test/fixtures/junit/junit.xsd (the Jenkins/Ant "JUnit XML" schema; its header says which public schema it follows).
// xmllint is a Debian package (libxml2-utils) that .ci/run installs; without it these tests fail, never skip.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { RunCollector } from "../../src/report/collect.js";
import { renderJunit } from "../../src/report/junit.js";
import type { LabSummary, RunEvent } from "../../src/exec/types.js";
import { EVENTS, STARTED_AT } from "../unit/report-events.js";
import { ROOT } from "../helpers/cli.js";

const XSD = join(ROOT, "test/fixtures/junit/junit.xsd");
const INSTALL = "xmllint not found: install libxml2-utils (apt-get install -y --no-install-recommends libxml2-utils), as .ci/run does";

interface Xmllint {
  /** 0 valid; 1 not well-formed; 3/4 valid XML that breaks the schema; 5 the schema itself does not compile. */
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs xmllint on `xml` given on its standard input. */
function xmllint(args: string[], xml: string): Xmllint {
  const r = spawnSync("xmllint", [...args, "-"], { input: xml, encoding: "utf8", timeout: 30_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(INSTALL);
  if (r.error) throw r.error;
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const validate = (xml: string) => xmllint(["--noout", "--schema", XSD], xml);

function junitOf(events: RunEvent[]): string {
  const c = new RunCollector(() => STARTED_AT);
  for (const e of events) c.onEvent(e);
  return renderJunit(c.report());
}

/** A one-lab run that ended in `outcome` without steps (an error before the first step, or a skip). */
function oneLab(summary: Partial<LabSummary> & Pick<LabSummary, "outcome">): RunEvent[] {
  const lab: LabSummary = { id: "x", title: "X", file: "labs/x.md", durationMs: 5, steps: [], leaks: [], ...summary };
  return [
    { type: "run-start", labs: [{ id: lab.id, file: lab.file }], strict: false },
    { type: "lab-end", summary: lab },
    { type: "run-end", labs: [lab], durationMs: 5 },
  ];
}

// Everything a lab's commands may print that XML 1.0 cannot carry as is.
const HOSTILE = "a & b < c > d \"q\" 'a' ]]> \x1b[31mred\x1b[0m nul\x00 bell\x07 lone \uD800 \uFFFE tab\tCRLF\r\nend 🙂";

describe("JUnit report, validated by xmllint against the JUnit XSD", () => {
  it("xmllint is installed and the schema compiles", () => {
    const r = validate('<testsuites name="empty"/>');
    expect(r.stderr).not.toMatch(/failed to compile/);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    { run: "the fixture run (pass, expect mismatch, skip, strict/cleanup/leak failures)", events: EVENTS },
    { run: "a lab that failed outside its steps", events: oneLab({ outcome: { status: "error", reason: "fixture alpine-rootfs: sha256 mismatch" } }) },
    { run: "a lab skipped by preflight", events: oneLab({ outcome: { status: "skipped", reason: "cannot run here: netns" } }) },
    { run: "an empty run", events: [{ type: "run-start", labs: [], strict: false }, { type: "run-end", labs: [], durationMs: 0 }] as RunEvent[] },
    { run: "text XML cannot carry as is, in a title and a reason", events: oneLab({ title: HOSTILE, outcome: { status: "error", reason: HOSTILE } }) },
  ])("$run: valid", ({ events }) => {
    const r = validate(junitOf(events));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/validates/);
  });

  it("a consumer reads back the text rootlab meant, minus what XML cannot carry", () => {
    const xml = junitOf(oneLab({ title: HOSTILE, outcome: { status: "error", reason: HOSTILE } }));
    const message = xmllint(["--xpath", "string(//testcase/error/@message)"], xml);
    expect(message.code, message.stderr).toBe(0);
    expect(message.stdout.replace(/\n$/, "")).toBe("a & b < c > d \"q\" 'a' ]]> red nul bell lone   tab\tCRLF\nend 🙂");
    const title = xmllint(["--xpath", 'string(//property[@name="title"]/@value)'], xml);
    expect(title.stdout).toContain("a & b < c > d");
  });

  // Each mutation of the real fixture report must be rejected, which proves the schema checks what it claims.
  const good = junitOf(EVENTS);
  it.each([
    ["a testcase without name", /<testcase classname="veth-pair" name="[^"]*"/, '<testcase classname="veth-pair"', /'name' is required/],
    ["a testcase without classname", /<testcase classname="veth-pair" /, "<testcase ", /'classname' is required/],
    ["a testsuite without its tests count", /(<testsuite name="veth-pair") tests="3"/, "$1", /'tests' is required/],
    ["a count that is not a number", /(<testsuite name="leaky" tests="2") failures="2"/, '$1 failures="two"', /failures/],
    ["a time that is not seconds", /time="0\.240"/, 'time="240ms"', /time/],
    ["a timestamp with a zone", /(<testsuite name="veth-pair"[^>]*timestamp="[^"]*)"/, '$1Z"', /timestamp/],
    ["a failure without type", /(<failure message="[^"]*") type="expect-mismatch"/, "$1", /'type' is required/],
    ["a testcase both skipped and failed", /(<skipped message="not run[^>]*\/>)/, '$1<failure type="x"/>', /failure/],
    ["properties after the testcases", /(<properties>[\s\S]*?<\/properties>\n)([\s\S]*?)(<\/testsuite>)/, "$2$1$3", /properties/],
    ["an element consumers do not know", /<\/testsuites>/, "<summary/></testsuites>", /summary/],
  ])("rejects %s", (_what, from, to, why) => {
    const bad = good.replace(from, to);
    expect(bad, "the mutation must change the document").not.toBe(good);
    const r = validate(bad);
    expect([3, 4], r.stderr).toContain(r.code);
    expect(r.stderr).toMatch(why);
  });

  it("rejects a document that is not well-formed XML", () => {
    const r = validate(good.replace("</testsuites>", ""));
    expect(r.code, r.stderr).toBe(1);
  });
});
