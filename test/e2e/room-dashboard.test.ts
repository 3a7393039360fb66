// The dashboard in a real browser (Debian's headless Chromium through playwright-core): the grid follows the
// students live, a stuck student and a raised hand appear, a hostile name is text, and the pace gate set on the
// page stops a real guided runner (in a PTY) before the next step and lets it go on when released.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { serveRoom, joinAs, type ServedRoom } from "../helpers/room.js";
import { RoomClient } from "../../src/room/client/client.js";
import { parseJoin } from "../../src/room/client/join.js";
import { isRoot, ROOT_REASON } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { Screen } from "./guided-driver.js";

const CHROMIUM = "/usr/bin/chromium";
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
const HOSTILE = "<img src=x onerror=alert(1)>";
const LAB = "rlt8-netns";
const STEPS = ["Create a network namespace", "Leave a note", "Use both"];

const dir = mkdtempSync(join(tmpdir(), "rlt-room-page-"));
let room: ServedRoom;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const clients: RoomClient[] = [];

async function student(name: string): Promise<RoomClient> {
  const joined = await joinAs(room, name);
  const c = new RoomClient({ dir: join(dir, `student-${clients.length}`) }, { ...parseJoin(room.join), name, ...joined });
  clients.push(c);
  return c;
}

/** Sends events through the runner's own client code and waits until the room has them. */
async function send(c: RoomClient, ...events: Parameters<RoomClient["send"]>[0][]): Promise<void> {
  for (const e of events) c.send(e);
  expect(await c.flush(10_000)).toBe(0);
}

const row = (name: string) => page.locator("#grid tbody tr", { has: page.locator("td.name", { hasText: name }) });

describeWithBrowser(`the dashboard in Chromium${existsSync(CHROMIUM) ? "" : ` [skipped: ${CHROMIUM} is not installed (apt-get install chromium)]`}`, () => {
  beforeAll(async () => {
    room = await serveRoom(["--port", "0", "--data", join(dir, "room.jsonl"), "--title", "Browser test"]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    page = await browser.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${room.url}/dashboard#token=${room.instructorToken}`);
    await page.locator("#status", { hasText: "live" }).waitFor();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await room?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the grid follows the students, live", async () => {
    const ada = await student("Ada");
    await send(ada, { kind: "lab-started", lab: LAB, title: "A namespace and a file", steps: STEPS }, { kind: "step-started", lab: LAB, step: 0 });
    await row("Ada").locator('td[data-step="0"][data-status="working"]').waitFor();
    await send(ada, { kind: "check", lab: LAB, step: 0, check: "the namespace rlt8-ns exists", pass: true }, { kind: "step-passed", lab: LAB, step: 0 }, { kind: "step-started", lab: LAB, step: 1 });
    await row("Ada").locator('td[data-step="0"][data-status="done"]').waitFor();
    await row("Ada").locator('td[data-step="1"][data-status="working"]').waitFor();
    expect(await row("Ada").locator("td.count").textContent()).toBe("1/3");
    expect(await page.locator("#grid thead th").allTextContents()).toEqual(["student", "1", "2", "3", "done"]);
  });

  it("a hostile name is shown as text, never as markup", async () => {
    const eve = await student(HOSTILE);
    await send(eve, { kind: "lab-started", lab: LAB, title: "x", steps: STEPS });
    await row(HOSTILE).waitFor();
    expect(await row(HOSTILE).locator("td.name").textContent()).toBe(HOSTILE);
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("a student failing the same check again and again shows as stuck; the room's failing checks are counted", async () => {
    const bo = await student("Bo");
    const fail = { kind: "check", lab: LAB, step: 1, check: "the note says hello", pass: false } as const;
    await send(bo, { kind: "lab-started", lab: LAB, title: "x", steps: STEPS }, { kind: "step-started", lab: LAB, step: 1 }, fail, fail);
    await page.locator("#checks li", { hasText: "1 of 1 fail the note says hello" }).waitFor();
    expect(await row("Bo").getAttribute("class")).not.toContain("stuck");
    await send(bo, fail);
    await row("Bo").locator(".why", { hasText: 'stuck: check "the note says hello" failed 3 times in a row' }).waitFor();
    expect(await row("Bo").getAttribute("class")).toContain("stuck");
  });

  it("a raised hand appears with what was sent, as text", async () => {
    const cy = await student("Cy");
    await send(cy, { kind: "hand", lab: LAB, step: 1, check: "the note says hello", detail: `expected: hello\nactual: ${HOSTILE}`, commands: ['echo hallo > "$LAB_DIR/note"'] });
    const hand = page.locator("#hands li", { hasText: "Cy" });
    await hand.waitFor();
    expect(await hand.locator("pre").first().textContent()).toBe(`expected: hello\nactual: ${HOSTILE}`);
    expect(await hand.locator("pre.commands").textContent()).toBe('echo hallo > "$LAB_DIR/note"');
    expect(await page.locator("img").count()).toBe(0);
  });

  const guided = isRoot && existsSync(join(ROOT, "node_modules/@lydell/node-pty")) ? it : it.skip;
  guided(`the pace gate set on the page stops a guided runner and releases it${isRoot ? "" : ` [skipped: ${ROOT_REASON}]`}`, async () => {
    const state = join(dir, "gus");
    const s = new Screen(["start", LAB, "--room", room.join, "--name", "Gus"], { ROOTLAB_DISPOSABLE: "1", ROOTLAB_LABS: join(ROOT, "test/fixtures/guided"), XDG_STATE_HOME: state, HOME: state });
    try {
      await s.waitFor("Step 1/3: Create a network namespace");
      await s.waitFor("? What now?");
      await row("Gus").locator('td[data-step="0"][data-status="working"]').waitFor();
      // Hold the room after step 1.
      await page.selectOption("#lab", LAB);
      await page.selectOption("#gate", "1");
      await page.locator("#gate-state", { hasText: "steps 1–1 released" }).waitFor();
      s.choose(0); // run it for me
      await s.waitFor("Step 1 done");
      await s.nextStep('The instructor has not released step 2 ("Leave a note") yet');
      await row("Gus").locator('td[data-step="0"][data-status="done"]').waitFor();
      expect(s.text).not.toContain("Step 2/3");

      await page.click("#release-next");
      await s.waitFor("The instructor released step 2; going on.");
      await s.waitFor("Step 2/3: Leave a note");
      await row("Gus").locator('td[data-step="1"][data-status="working"]').waitFor();

      // A wrong note, then "Raise hand": the instructor sees the check and its expected vs actual.
      await s.waitFor("? What now?");
      s.choose(1); // type it myself
      await s.waitFor("(rootlab host)");
      s.send('echo hallo > "$LAB_DIR/note"; NOTE=hello\r');
      await s.waitFor("(rootlab host)");
      s.send("check\r");
      await s.waitFor("✗ the note says hello");
      await s.waitFor("? What now?");
      s.choose(3); // retry, type, solution, raise hand, skip, quit
      await s.waitFor("Your hand is raised. The instructor sees:");
      await s.waitFor("failing check: the note says hello");
      await s.waitFor("your last commands:");
      await s.waitFor('echo hallo > "$LAB_DIR/note"; NOTE=hello');
      const hand = page.locator("#hands li", { hasText: "Gus" });
      await hand.locator("em", { hasText: "the note says hello" }).waitFor();
      // The failure as the learner saw it: the failing line and the values it compared, not only "exit status 1".
      const detail = await hand.locator("pre").first().textContent();
      expect(detail).toContain('test "$(cat "$LAB_DIR/note")" = hello');
      expect(detail).toContain('left:  "hallo"');
      expect(detail).toContain('right: "hello"');
      // What the learner typed in their own shell, and nothing else of it (not what the commands printed).
      expect(await hand.locator("pre.commands").textContent()).toBe('echo hallo > "$LAB_DIR/note"; NOTE=hello');
      await s.waitFor("? What now?");
      s.choose(5); // quit
      await s.waitFor("Cleaned up");
      expect((await s.exited).exitCode).toBe(0);
      await row("Gus").locator("td.count", { hasText: "1/3 quit" }).waitFor();
    } finally {
      await s.stop();
      expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toMatch(/rlt8-ns/);
    }
  });
});
