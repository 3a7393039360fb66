// `room serve` and `room join` at 80 columns, run as `npx rootlab` (npm sets npm_command=exec): they name
// rootlab as it was run, the join command is one line of its own (copied from the projector whole), and messages
// wrap at words, never mid-word. Real CLI in a PTY; the room on loopback.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chromium } from "playwright-core";
import { Screen } from "./guided-driver.js";
import { runCli } from "../helpers/cli.js";
import { displayWidth } from "../../src/term/width.js";

const dir = mkdtempSync(join(tmpdir(), "rootlab-room-naming-"));
const NPX = { npm_command: "exec", XDG_STATE_HOME: dir, HOME: dir };
const CHROMIUM = "/usr/bin/chromium";
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the room names rootlab as it was run, at 80 columns", () => {
  it("room serve prints the join command whole, on a line of its own; room join wraps at words", async () => {
    const serve = new Screen(["room", "serve", "--port", "0", "--data", join(dir, "room.jsonl")], NPX, 80);
    try {
      await serve.waitFor("Ctrl-C stops the room");
      const lines = serve.text.split("\n");
      const joinLine = lines.find((l) => l.includes(" room join "));
      expect(joinLine, serve.text).toMatch(/^ {4}sudo npx rootlab room join http:\/\/127\.0\.0\.1:\d+\/r\/\S+ --name "Their Name"$/);
      expect(serve.text).not.toMatch(/(?<!npx )\brootlab room join/);
      for (const l of lines.filter((l) => l !== joinLine)) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
      const address = /room join (\S+)/.exec(joinLine!)![1]!;

      const student = new Screen(["room", "join", address, "--name", "Ada L."], NPX, 80);
      try {
        expect((await student.exited).exitCode).toBe(0);
        const text = student.text.trim();
        for (const l of text.split("\n")) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
        const flat = text.replace(/\s*\n\s*/g, " ");
        // As root (no sudo) it is `npx rootlab`; from a user's shell `sudo npx rootlab`.
        expect(flat).toMatch(/now report to it \((sudo )?npx rootlab\);/);
        expect(flat).toMatch(/`(sudo )?npx rootlab room leave` stops that\./);
      } finally {
        await student.stop();
      }
    } finally {
      await serve.stop();
    }
  });

  it.skipIf(!existsSync(CHROMIUM))(`the join page in Chromium names rootlab as the instructor's terminal does${existsSync(CHROMIUM) ? "" : ` [skipped: ${CHROMIUM} is not installed]`}`, async () => {
    const serve = new Screen(["room", "serve", "--port", "0", "--data", join(dir, "page-room.jsonl")], NPX, 80);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    try {
      await serve.waitFor("Ctrl-C stops the room");
      const said = /^ {4}(sudo npx rootlab) room join (\S+) --name "Their Name"$/m.exec(serve.text);
      expect(said, serve.text).not.toBeNull();
      const [, rootlab, address] = said!;
      const page = await browser.newPage();
      await page.goto(address!);
      const commands = await page.locator("pre code").allInnerTexts();
      expect(commands.join("\n")).toBe(`${rootlab} room join ${address} --name "Your Name"\n${rootlab}`);
      const text = await page.locator("main").innerText();
      expect(text).toContain(`${rootlab} room leave stops reporting.`);
      expect(text).not.toMatch(/(?<!npx )\brootlab (room|start|verify)\b|sudo rootlab/);
    } finally {
      await browser.close();
      await serve.stop();
    }
  });

  it("room --help", async () => {
    const help = await runCli(["room", "--help"], { env: NPX });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npx rootlab room serve");
    expect(help.stdout).toContain("sudo npx rootlab room join http://192.168.1.10:8080/r/3kQ…");
    expect(help.stdout).not.toMatch(/(?<!npx )\brootlab (room|start|verify)\b/);
  });
});
