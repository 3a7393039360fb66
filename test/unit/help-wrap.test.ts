// Help text in an 80-column terminal: no line over the width, no word split, descriptions under themselves.
import { describe, expect, test } from "vitest";
import { fitHelp } from "../../src/term/help-wrap.js";
import { COMMANDS } from "../../src/cli/registry.js";

describe("fitHelp", () => {
  test.each([
    ["an option row wraps under its description", "  --out <file>          Write the json/junit/tap report to this file (default: stdout) and more words here", ["  --out <file>          Write the json/junit/tap report to this file (default:", "                        stdout) and more words here"]],
    ["a continuation line reflows with its option", "  --strict              Also run each step's checks before the step (a check that already passes fails)\n                        and each wrong attempt", ["  --strict              Also run each step's checks before the step (a check", "                        that already passes fails) and each wrong attempt"]],
    ["a command row wraps under its description, and the next row stays its own", "  menu     Pick a lab and follow it step by step (the default: plain `sudo rootlab`)\n  start    Open a lab in guided mode", ["  menu     Pick a lab and follow it step by step (the default: plain `sudo", "           rootlab`)", "  start    Open a lab in guided mode"]],
    ["short lines stay as written", "Examples:\n  sudo rootlab verify chroot\n  sudo rootlab verify netns-veth --explain", ["Examples:", "  sudo rootlab verify chroot", "  sudo rootlab verify netns-veth --explain"]],
  ])("%s", (_name, text, lines) => {
    expect(fitHelp(text, 80).split("\n")).toEqual(lines);
  });

  test("every command's help fits 80 columns and keeps every word", async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const { command } = await entry.load();
      const fitted = fitHelp(command.help, 80);
      for (const line of fitted.split("\n")) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(80);
      const words = (t: string) => t.split(/\s+/).filter(Boolean);
      // Long unbreakable words (a URL) may stand alone over the width; none is cut or lost.
      expect(words(fitted), name).toEqual(words(command.help));
    }
  });
});
