// The dashboard as an instructor sees it on a laptop (1366×768) and on a projector (1920×1080 at 150 %), in
// Debian's headless Chromium: nothing wider than the screen, a long name shown whole, a long stuck reason kept to
// two lines, raised hands in sight beside the grid, text readable on every cell colour, a hand that counts only
// until its student passes that step, "Release next step" off while the gate is open, and a server restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { serveRoom, joinAs, type ServedRoom } from "../helpers/room.js";
import { RoomClient } from "../../src/room/client/client.js";
import { parseJoin } from "../../src/room/client/join.js";
import type { StudentEventBody } from "../../src/room/types.js";

const CHROMIUM = "/usr/bin/chromium";
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
const LAB = "chroot";
const STEPS = ["Put a static busybox into an empty root", "Trap 1: the naive loop", "Trap 2: absolute links", "Fix: relative links"];
const LONG_NAME = "Bartholomew Featherstonehaugh-Wainwright III";
const LONG_CHECK = "bin/sh in the root is a relative link that stays inside the root (readlink prints busybox, not /bin/busybox)";
const SCREENS = [
  { name: "laptop", viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
  { name: "projector", viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1.5 },
];

const dir = mkdtempSync(join(tmpdir(), "rlt-room-screens-"));
let room: ServedRoom;
let browser: Browser;
const clients: RoomClient[] = [];

async function student(name: string, ...events: StudentEventBody[]): Promise<RoomClient> {
  const c = new RoomClient({ dir: join(dir, `s${clients.length}`) }, { ...parseJoin(room.join), name, ...(await joinAs(room, name)) });
  clients.push(c);
  for (const e of events) c.send(e);
  expect(await c.flush(10_000)).toBe(0);
  return c;
}

const started: StudentEventBody = { kind: "lab-started", lab: LAB, title: "chroot", steps: STEPS };
const fail = (step: number, check = LONG_CHECK): StudentEventBody => ({ kind: "check", lab: LAB, step, check, pass: false });

async function dashboard(screen: (typeof SCREENS)[number]): Promise<Page> {
  const page = await browser.newPage({ viewport: screen.viewport, deviceScaleFactor: screen.deviceScaleFactor });
  await page.goto(`${room.url}/dashboard#token=${room.instructorToken}`);
  await page.locator("#status", { hasText: "live" }).waitFor();
  await page.locator("#grid tbody tr").nth(3).waitFor();
  return page;
}

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describeWithBrowser(`the dashboard on a laptop and a projector${existsSync(CHROMIUM) ? "" : ` [skipped: ${CHROMIUM} is not installed]`}`, () => {
  beforeAll(async () => {
    room = await serveRoom(["--port", "0", "--data", join(dir, "room.jsonl"), "--title", "Containers from scratch — Tuesday"]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    await student(LONG_NAME, started, { kind: "step-started", lab: LAB, step: 0 }, fail(0), fail(0), fail(0));
    await student("Ada", started, { kind: "step-started", lab: LAB, step: 0 }, { kind: "step-passed", lab: LAB, step: 0 }, { kind: "step-skipped", lab: LAB, step: 1 }, { kind: "step-started", lab: LAB, step: 2 });
    await student("Linus", started, { kind: "step-started", lab: LAB, step: 0 }, fail(0, "bin/busybox is a real program"), { kind: "hand", lab: LAB, step: 0, check: "bin/busybox is a real program", detail: "expected: ELF\nactual: symbolic link", commands: ["ln -s /usr/bin/busybox rootfs/bin/busybox"] });
    await student("Grace", started, { kind: "step-started", lab: LAB, step: 0 });
    await student("Quinn", started, { kind: "step-started", lab: LAB, step: 0 }, { kind: "quit", lab: LAB });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await room?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const screen of SCREENS)
    it(`${screen.name}: fits the width, names whole, reasons short, hands in sight, every cell readable`, async () => {
      const page = await dashboard(screen);
      try {
        const m = await page.evaluate(
          ({ longName }) => {
            const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
            const nameCell = (Array.from(document.querySelectorAll("#grid td.name")) as HTMLElement[]).find((td) => td.firstChild?.textContent === longName)!;
            const why = nameCell.querySelector(".why") as HTMLElement;
            const cells = (Array.from(document.querySelectorAll("#grid td[data-status]")) as HTMLElement[]).map((td) => ({ status: td.dataset.status, color: getComputedStyle(td).color, bg: getComputedStyle(td).backgroundColor }));
            return {
              pageWidth: document.documentElement.scrollWidth,
              nameText: nameCell.firstChild!.textContent,
              nameClipped: nameCell.scrollWidth > nameCell.clientWidth,
              whyLines: Math.round(why.getBoundingClientRect().height / parseFloat(getComputedStyle(why).lineHeight)),
              whyTitle: why.title,
              handsTop: box("#hands-section").top,
              gridRight: box("#grid").right,
              handsLeft: box("#hands-section").left,
              cells,
              pageBg: getComputedStyle(document.body).backgroundColor,
            };
          },
          { longName: LONG_NAME },
        );
        expect(m.pageWidth).toBe(screen.viewport.width);
        // Quinn quit in step 1: the step stays "working" but its clock stopped (no time counting on).
        expect(await page.locator('#grid tr:has(td.name[title="Quinn"]) td[data-step="0"]').textContent()).toBe("▶ ");
        expect(m.nameText).toBe(LONG_NAME);
        expect(m.nameClipped).toBe(false);
        expect(m.whyLines).toBeLessThanOrEqual(2);
        expect(m.whyTitle).toBe(`stuck: check "${LONG_CHECK}" failed 3 times in a row`);
        // Beside the grid and within the first screen: no scrolling to see a raised hand.
        expect(m.handsLeft).toBeGreaterThanOrEqual(m.gridRight);
        expect(m.handsTop).toBeLessThan(screen.viewport.height / 2);
        expect(new Set(m.cells.map((c) => c.status))).toEqual(new Set(["done", "working", "failing", "skipped", "todo"]));
        for (const c of m.cells) {
          const bg = c.bg === "rgba(0, 0, 0, 0)" ? m.pageBg : c.bg;
          expect(contrast(c.color, bg), `${c.status}: ${c.color} on ${bg}`).toBeGreaterThanOrEqual(7);
        }
        // Status colours a dim projector still tells apart from the page (the symbols carry it too).
        for (const status of ["done", "working", "failing"]) expect(contrast(m.cells.find((c) => c.status === status)!.bg, m.pageBg), status).toBeGreaterThanOrEqual(1.25);
      } finally {
        await page.close();
      }
    });

  it("a raised hand counts until its student passes that step; Release next step waits for a closed gate", async () => {
    const page = await dashboard(SCREENS[0]!);
    try {
      await page.locator("#alerts a", { hasText: "1 raised hand(s)" }).waitFor();
      expect(await page.locator("#hands li.open strong").textContent()).toBe("Linus");
      expect(await page.locator("#release-next").isDisabled()).toBe(true);

      const linus = clients[2]!;
      linus.send({ kind: "step-passed", lab: LAB, step: 0 });
      expect(await linus.flush(10_000)).toBe(0);
      await page.locator("#hands li.answered", { hasText: "step passed since" }).waitFor();
      await page.locator("#alerts a", { hasText: "raised hand" }).waitFor({ state: "detached" });
      expect(await page.locator("#hands li.answered pre").first().isVisible()).toBe(false);

      await page.selectOption("#gate", "1");
      await page.locator("#gate-state", { hasText: "steps 1–1 released" }).waitFor();
      expect(await page.locator("#release-next").isDisabled()).toBe(false);
    } finally {
      await page.close();
    }
  });

  it("the room server stopped and started again: the page says what to do, then follows the same room", async () => {
    const page = await dashboard(SCREENS[0]!);
    try {
      const port = new URL(room.url).port;
      await room.stop();
      await page.locator("#status", { hasText: "reconnecting… (no answer from the room server: start `rootlab room serve` again with the same --data)" }).waitFor();
      // What the page showed stays on it meanwhile.
      expect(await page.locator("#grid tbody tr").count()).toBe(5);
      room = await serveRoom(["--port", port, "--data", join(dir, "room.jsonl")]);
      await page.locator("#status", { hasText: "live · 5 student(s)" }).waitFor();
    } finally {
      await page.close();
    }
  });
});
