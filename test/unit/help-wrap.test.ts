// Help text in an 80-column terminal: no line over the width, no word split, descriptions under themselves.
import { describe, expect, test } from "vitest";
import { fitHelp, fitReport } from "../../src/term/help-wrap.js";
import { COMMANDS } from "../../src/cli/registry.js";

describe("fitHelp", () => {
  test.each([
    ["an option row wraps under its description", "  --out <file>          Write the json/junit/tap report to this file (default: stdout) and more words here", ["  --out <file>          Write the json/junit/tap report to this file (default:", "                        stdout) and more words here"]],
    ["a continuation line reflows with its option", "  --strict              Also run each step's checks before the step (a check that already passes fails)\n                        and each wrong attempt", ["  --strict              Also run each step's checks before the step (a check", "                        that already passes fails) and each wrong attempt"]],
    ["a command row wraps under its description, and the next row stays its own", "  menu     Pick a lab and follow it step by step (the default: plain `sudo rootlab`)\n  start    Open a lab in guided mode", ["  menu     Pick a lab and follow it step by step (the default: plain `sudo", "           rootlab`)", "  start    Open a lab in guided mode"]],
    ["a sub-command row with its arguments wraps under its description, and the next row stays its own", "  ssh [command...]    Open a shell in the VM, or run one command there (its exit status is passed through)\n  verify [labs...]    Start the VM", ["  ssh [command...]    Open a shell in the VM, or run one command there (its exit", "                      status is passed through)", "  verify [labs...]    Start the VM"]],
    ["an option with a lowercase value wraps under its description", "  --report junit      verify: the report format (JUnit is what comes back from the VM)", ["  --report junit      verify: the report format (JUnit is what comes back from", "                      the VM)"]],
    ["a long example is wrapped the shell's way and never merged with the next one", "Examples:\n  sudo rootlab cache fill --from ~/Downloads/alpine-minirootfs-3.20.3-x86_64.tar.gz\n  sudo rootlab cache fill --from http://192.168.56.1:8000/alpine-minirootfs-3.20.3-x86_64.tar.gz", ["Examples:", "  sudo rootlab cache fill --from \\", "      ~/Downloads/alpine-minirootfs-3.20.3-x86_64.tar.gz", "  sudo rootlab cache fill --from \\", "      http://192.168.56.1:8000/alpine-minirootfs-3.20.3-x86_64.tar.gz"]],
    ["rootlab named by its path (as `new` prints it) is a command too", "Next:\n  node /work/wt/some-checkout/bin/rootlab.js lint labs/01-a-rather-long-lab-identifier.md\n  sudo rootlab watch x.md", ["Next:", "  node /work/wt/some-checkout/bin/rootlab.js lint \\", "      labs/01-a-rather-long-lab-identifier.md", "  sudo rootlab watch x.md"]],
    ["a usage line wraps between its [options], never inside one", "Usage: npx rootlab room serve [--port N] [--bind ADDR] [--title TEXT] [--data FILE] [--box FILE] [--json]\n       npx rootlab room join <join> --name NAME", ["Usage: npx rootlab room serve [--port N] [--bind ADDR] [--title TEXT]", "           [--data FILE] [--box FILE] [--json]", "       npx rootlab room join <join> --name NAME"]],
    ["short lines stay as written", "Examples:\n  sudo rootlab verify chroot\n  sudo rootlab verify netns-veth --explain", ["Examples:", "  sudo rootlab verify chroot", "  sudo rootlab verify netns-veth --explain"]],
  ])("%s", (_name, text, lines) => {
    expect(fitHelp(text, 80).split("\n")).toEqual(lines);
  });

  test("every command's help fits 80 columns and keeps every word", async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const { command } = await entry.load();
      const fitted = fitHelp(command.help, 80);
      for (const line of fitted.split("\n")) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(80);
      // A command wrapped the shell's way gains " \\" continuations: the same command, so not counted.
      const words = (t: string) => t.split(/\s+/).filter((w) => w !== "" && w !== "\\");
      // Long unbreakable words (a URL) may stand alone over the width; none is cut or lost.
      expect(words(fitted), name).toEqual(words(command.help));
      // Each example begins its own line (merged into the one before, it could not be copied and run).
      const starts = fitted.split("\n").map((l) => l.trim());
      for (const example of command.help.split("\n").filter((l) => /^\s+(?:sudo )?rootlab /.test(l))) {
        expect(starts.some((l) => example.trim().startsWith(l.replace(/ \\$/, ""))), `${name}: ${example}`).toBe(true);
      }
    }
  });
});

describe("fitReport", () => {
  test("an indented rootlab command wraps the shell's way; other lines stay items wrapped at words", () => {
    const text = [
      "Run labs in the rootlab VM:",
      "  node /work/wt/some-checkout/bin/rootlab.js vm up && node /work/wt/some-checkout/bin/rootlab.js vm ssh",
      "Labs run as root and change network and mount state (namespaces, links, bridges, firewall rules, mounts).",
    ].join("\n");
    expect(fitReport(text, 80).split("\n")).toEqual([
      "Run labs in the rootlab VM:",
      "  node /work/wt/some-checkout/bin/rootlab.js vm up && node \\",
      "      /work/wt/some-checkout/bin/rootlab.js vm ssh",
      "Labs run as root and change network and mount state (namespaces, links, bridges,",
      "firewall rules, mounts).",
    ]);
  });
});
