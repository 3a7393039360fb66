// `rootlab list` through the real CLI: unmet vs unchecked needs (without root), one line per invalid lab,
// duplicate ids warned once, whole titles when piped, and the JSON with each need's state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { BIN, runCli } from "../helpers/cli.js";
import { isRoot } from "../helpers/root.js";
import type { LabRow } from "../../src/cli/commands/list.js";
import { unprivilegedCannotRun } from "../helpers/shared-fixtures.js";
import { displayWidth } from "../../src/term/width.js";

// Runs the CLI as an ordinary user: impossible from a checkout other users cannot enter (root's home).
const NOBODY_CANNOT = isRoot ? unprivilegedCannotRun(BIN) : undefined;

let labs: string;
let broken: string;
const LONG_TITLE = "A very long title that goes on and on well past the forty-eight columns a table once allowed";

function lab(id: string, title: string, requires: string): string {
  return `---\nformat: 1\nid: ${id}\ntitle: ${title}\nrequires:\n${requires}\n---\n\n## Step\n\n\`\`\`sh\ntrue\n\`\`\`\n`;
}

beforeAll(() => {
  labs = mkdtempSync(join(tmpdir(), "rlt12-list-"));
  chmodSync(labs, 0o755); // readable for the run as nobody
  writeFileSync(join(labs, "01-netns.md"), lab("netns", LONG_TITLE, "  root: true\n  kernel: [netns]"));
  writeFileSync(join(labs, "02-nothing.md"), lab("nothing", "Needs nothing", "  root: false"));
  broken = mkdtempSync(join(tmpdir(), "rlt12-list-broken-"));
  writeFileSync(join(broken, "01-a.md"), lab("same", "First", "  root: false"));
  writeFileSync(join(broken, "02-x.md"), "---\nformat: 1\nid: x\nbogus: 1\ntitle: [unclosed\n---\n");
  writeFileSync(join(broken, "03-b.md"), lab("same", "Second", "  root: false"));
  writeFileSync(join(broken, "04-c.md"), lab("same", "Third", "  root: false"));
});
afterAll(() => {
  rmSync(labs, { recursive: true, force: true });
  rmSync(broken, { recursive: true, force: true });
});

describe("rootlab list", () => {
  it("a labs folder that does not exist is a usage error (exit 2) that says so", async () => {
    const r = await runCli(["list", "--labs-dir", "/nonexistent-rootlab-labs"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the labs folder /nonexistent-rootlab-labs does not exist");
  });

  // A pipe is laid out for COLUMNS (else 80): a wide one keeps each title in its row, whole.
  it("piped with a wide COLUMNS: whole titles, no cut", async () => {
    const r = await runCli(["list", "--labs-dir", labs], { env: { COLUMNS: "200" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(LONG_TITLE);
    expect(r.stdout).not.toContain("…");
    expect(r.stdout).toMatch(/nothing +Needs nothing +beginner .*✓ can run/);
  });

  const MARKED = existsSync("/etc/rootlab/disposable") ? "this machine has /etc/rootlab/disposable" : undefined;
  it.skipIf(MARKED !== undefined)(`a machine not marked disposable: no lab says "can run" (rootlab would refuse it)${MARKED ? ` [skipped: ${MARKED}]` : ""}`, async () => {
    const r = await runCli(["list", "--labs-dir", labs], { env: { ROOTLAB_DISPOSABLE: "", COLUMNS: "200" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("can run");
    expect(r.stdout).toMatch(/nothing +Needs nothing +beginner .*! not disposable/);
    expect(r.stdout).toContain("This machine is not marked disposable");
    expect(r.stdout).toContain("only with --disposable on each command");
  });

  it("list --disposable counts the machine as throwaway, as start/verify --disposable do, and says so in the next step", async () => {
    const r = await runCli(["list", "--labs-dir", labs, "--disposable"], { env: { ROOTLAB_DISPOSABLE: "", COLUMNS: "200" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nothing +Needs nothing +beginner .*✓ can run/);
    expect(r.stdout).not.toContain("not marked disposable");
    expect(r.stdout).toMatch(/start <lab> --labs-dir \S+ --disposable {3}·/);
    expect(r.stdout).not.toMatch(/show <lab>[^\n]*--disposable/);
  });

  it.skipIf(!isRoot || NOBODY_CANNOT)(`without root: root is unmet (✗), a kernel probe that needs root is unknown (?), never ✗${NOBODY_CANNOT ? ` [skipped: ${NOBODY_CANNOT}]` : ""}`, () => {
    const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, BIN, "list", "--labs-dir", labs], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", HOME: "/tmp", XDG_STATE_HOME: "/tmp/rlt12-no-state" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/netns .*✗ root {2}\? kernel netns \(needs root to check\)/);
    expect(r.stdout).not.toMatch(/✗ [^?\n]*kernel netns/);
    expect(r.stdout).toContain("Not running as root");
  });

  it("--json gives each unmet need its state", async () => {
    const r = await runCli(["list", "--json", "--labs-dir", labs]);
    const rows = (JSON.parse(r.stdout) as { labs: LabRow[] }).labs;
    const netns = rows.find((row) => row.id === "netns")!;
    for (const n of netns.unmet) expect(["unmet", "unknown"]).toContain(n.state);
    expect(netns.canRun).toBe(netns.unmet.length === 0);
    expect(rows.find((row) => row.id === "nothing")).toMatchObject({ canRun: true, unmet: [] });
  });

  it("a broken lab is one line pointing to lint, exit 2; a shared id is warned once", async () => {
    const r = await runCli(["list", "--labs-dir", broken]);
    expect(r.code).toBe(2);
    // rootlab is named the way the test ran it: `node bin/rootlab.js` (or `npx rootlab` under npx).
    expect(r.stderr).toContain(`! 02-x.md: invalid (1 error) — run: ${r.stderr.includes("run: npx rootlab") ? "npx rootlab" : "node bin/rootlab.js"} lint ${join(broken, "02-x.md")}`);
    expect(r.stderr).not.toContain("front-matter/");
    expect(r.stderr.match(/have the id "same"/g)).toHaveLength(1);
    expect(r.stderr).toContain('3 labs have the id "same": 01-a.md, 03-b.md, 04-c.md');
    expect(r.stdout).toMatch(/same +First/);
    const json = await runCli(["list", "--json", "--labs-dir", broken]);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as { invalid: unknown[] }).invalid).toEqual([{ file: join(broken, "02-x.md"), errors: 1 }]);
  });
});

describe("help and a folder given to show", () => {
  it.each(["list", "show", "doctor", "new", "start", "menu", "reset", "lint", "watch", "vm"])("rootlab %s --help lists -h, --help", async (name) => {
    const r = await runCli([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}-h, --help +Show this help$/m);
  });

  // Piped into a pager (`rootlab start --help | less`) the help used to keep its source's line breaks, at 110
  // columns and more: each line wrapped on an 80-column screen, its rest a stub. Now it is fitted to 80 columns.
  it.each([[[]], [["start"]], [["menu"]], [["verify"]], [["room"]], [["vm"]], [["list"]], [["new"]]])("rootlab %j --help, piped, fits 80 columns", async (words) => {
    const r = await runCli([...words, "--help"]);
    expect(r.code).toBe(0);
    const wide = r.stdout.split("\n").filter((line) => displayWidth(line) > 80);
    expect(wide).toEqual([]);
    expect(r.stdout).toMatch(/^Usage: /m);
  });

  it("vm --help names labs that exist", async () => {
    const r = await runCli(["vm", "--help"]);
    expect(r.stdout).toContain("rootlab vm verify chroot netns-veth");
    expect(r.stdout).not.toContain("veth-pair");
  });

  it("show <folder> says it is a folder and how to list its labs", async () => {
    const r = await runCli(["show", labs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${labs} is a folder`);
    expect(r.stderr).toContain(`rootlab list --labs-dir ${labs}`);
    expect(r.stderr).not.toContain("neither a file nor");
  });
});
