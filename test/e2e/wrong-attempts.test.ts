// verify --strict runs each wrong attempt, then the step's checks (one must reject it), then its undo; reports
// say which check rejected it. Plain verify never runs wrong attempts. Fixture labs touch only $LAB_DIR.
import { afterEach, beforeEach, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT, runCli } from "../helpers/cli.js";

const E2E = join(ROOT, "test/fixtures/labs/e2e");
const lab = (name: string) => join(E2E, `${name}.md`);
let work = "";
const env = () => ({ ROOTLAB_WORKDIR: work, ROOTLAB_LABS: E2E });

interface JsonStep { wrongAttempts?: { name: string; verdict: string; line: number; rejectedBy?: { name: string; line: number } }[] }

describeAsRoot("verify --strict: wrong attempts", () => {
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "rlt0-wrong-"));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it("passes when a named check rejects every attempt, and every report says which one", async () => {
    const json = join(work, "r.json");
    const junit = join(work, "r.xml");
    const tap = join(work, "r.tap");
    const r = await runCli(["verify", "--strict", lab("wrong-rejected"), "--report", "json", "--out", json], { env: env() });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    expect(out).toMatch(/wrong attempt "the greeting in capitals" \(line 40\) rejected by check "the file says hello"/);
    expect(out).toMatch(/wrong attempt "an empty file" .* rejected by check "the file says hello"/);
    const step = (JSON.parse(readFileSync(json, "utf8")) as { labs: { steps: JsonStep[] }[] }).labs[0]!.steps[0]!;
    expect(step.wrongAttempts?.map((w) => [w.name, w.verdict, w.line, w.rejectedBy?.name])).toEqual([
      ["the greeting in capitals", "rejected", 40, "the file says hello"],
      ["an empty file", "rejected", 49, "the file says hello"],
    ]);
    await runCli(["verify", "--strict", lab("wrong-rejected"), "--report", "junit", "--out", junit], { env: env() });
    expect(readFileSync(junit, "utf8")).toMatch(/<system-out>wrong attempt "the greeting in capitals" [^<]*rejected by check/);
    await runCli(["verify", "--strict", lab("wrong-rejected"), "--report", "tap", "--out", tap], { env: env() });
    expect(readFileSync(tap, "utf8")).toMatch(/^ {4}# wrong attempt "an empty file" .* rejected by check "the file says hello"/m);
  });

  // Under emulation limits are stretched (ROOTLAB_TIME_SCALE, 20x there): a correct step's check may take that
  // long to pass, but a rejection is judged within the lab's own retry= window. Stretched 100x, this one would
  // poll for 200 s, past this test's deadline.
  it("a wrong attempt is rejected within the check's own retry= window, however slow the machine is said to be", async () => {
    const r = await runCli(["verify", "--strict", lab("wrong-retry")], { env: { ...env(), ROOTLAB_TIME_SCALE: "100" } });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    expect(out).toMatch(/wrong attempt "the greeting in capitals" \(line \d+\) rejected by check "the file says hello"/);
  }, 60_000);

  it("fails --strict with file:line and the attempt's name when the checks accept it; plain verify does not run it", async () => {
    const strict = await runCli(["verify", "--strict", lab("wrong-accepted")], { env: env() });
    expect(strict.code).toBe(1);
    expect(strict.stdout + strict.stderr).toMatch(/wrong attempt "the same greeting, written another way" at \S*wrong-accepted.md:40 passed every check/);
    const plain = await runCli(["verify", lab("wrong-accepted")], { env: env() });
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout + plain.stderr).not.toMatch(/wrong attempt "/);
  });

  it("an attempt that fails by itself proves nothing: --strict says so; plain verify never runs it", async () => {
    const strict = await runCli(["verify", "--strict", lab("wrong-fails")], { env: env() });
    expect(strict.code).toBe(1);
    expect(strict.stdout + strict.stderr).toMatch(/wrong attempt "a command that itself fails" at \S*wrong-fails.md:49 did not run as written/);
    const plain = await runCli(["verify", lab("wrong-fails")], { env: env() });
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
  });
});
