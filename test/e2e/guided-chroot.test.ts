// The real chroot lab as a newcomer does it: plain `rootlab` in an 80×30 terminal, the lab picked from the menu,
// every command read off the screen and TYPED key by key in "I'll type it myself", then `check`. Every step must
// pass; at each explanation, the output it talks about must be on the screen with it (step 6: the PIDs agree);
// no line rootlab writes is wider than the terminal. With ROOTLAB_TRANSCRIPTS=DIR the screen is saved as
// DIR/chroot-typed.txt (docs/transcripts/ holds the one in the repository).
import { expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { loadLab } from "../../src/format/load.js";
import { learnerWithOwnState, KEY, renderTranscript } from "./guided-driver.js";
import { COLS, linesTooWide, ROWS, seenWith, typeStep, type ExplanationCheck } from "./typed-lab.js";

const LAB_FILE = join(ROOT, "labs/01-chroot.md");
const learner = learnerWithOwnState("rlt8-chroot-", COLS, ROWS);

/** Per step (0-based): the output its explanation talks about, and the explanation's words about it, on one screen. */
const SEEN_WITH_EXPLANATION: Record<number, ExplanationCheck> = {
  0: (sc) => seenWith(sc, "ldd prints not a dynamic executable", [/ELF 64-bit LSB executable/, /^\s+not a dynamic executable\s*$/m]),
  1: (sc) => seenWith(sc, "gives up", [/failed to run command ‘\/bin\/sh’: Too many levels of symbolic links/]),
  2: (sc) => seenWith(sc, "An absolute symlink is resolved", [/failed to run command ‘\/bin\/sh’: No such file or directory/]),
  3: (sc) => seenWith(sc, "id printed uid=0(root)", [/^\s*l\S+ .* usr\/bin\/awk -> \.\.\/\.\.\/bin\/busybox\s*$/m, /^\s*uid=0\(root\) gid=0\(root\)/m]),
  4: (sc) => seenWith(sc, "prints its header", [/^\s*PID\s+USER\s+COMMAND\s*$/m, /^\s*mount: no \/proc\/mounts\s*$/m]),
  5: (sc) => {
    // The lesson: the box shell and the host's view of it are one process with one PID.
    const screen = seenWith(sc, "very number the host reports", [/^\s+1 \S+\s*$/m]); // PID 1 in the list
    const inside = /this shell is PID (\d+)/.exec(screen)?.[1];
    expect(inside, screen).toBeDefined();
    expect(/the host sees the box shell as PID (\d+)/.exec(screen)?.[1], screen).toBe(inside);
  },
  6: (sc) => seenWith(sc, "printing only its", [/^\s*1\s*$/m]),
};

describeAsRoot("the chroot lab, typed by hand in an 80×30 terminal", () => {

  it.skipIf(!existsSync(LAB_FILE))("every step passes with commands typed as shown; the output each explanation is about is on screen with it", async () => {
    const parsed = await loadLab(LAB_FILE);
    if (!parsed.ok) throw new Error(`labs/01-chroot.md does not parse: ${JSON.stringify(parsed.diagnostics)}`);
    const lab = parsed.lab;
    // Plain `rootlab`, as a newcomer would start: the menu lists the labs in file order, chroot first.
    const s = learner.open([]);
    await s.waitFor("? Which lab?");
    await s.waitFor(`· ${lab.title.slice(0, 40)}`);
    s.send(KEY.enter);
    for (const step of lab.steps) await typeStep(s, lab, step, SEEN_WITH_EXPLANATION[step.index]);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    await s.waitFor(new RegExp(`${lab.steps.length}/${lab.steps.length} steps,\\s+0 hints used`));
    // Started from the menu: the menu comes back with the lab marked done; Esc quits.
    await s.waitFor("? Which lab?");
    await s.waitFor("✓ chroot");
    s.send(KEY.esc);
    expect((await s.exited).exitCode).toBe(0);
    expect(s.text).not.toMatch(/✗/);
    // Commands meant to fail, typed in BusyBox ash (session box) as in bash: judged "as the step expects".
    expect(s.text).toMatch(/\(rootlab box\) \$ pidof sh\n\(rootlab box\) \$ check\n+Back in rootlab\.\n+✓ Exit status 1/);
    expect(s.text).toMatch(/\(rootlab box\) \$ mount\nmount: no \/proc\/mounts\n\(rootlab box\) \$ check\n+Back in rootlab\.\n+✓ Exit status 1/);
    expect(linesTooWide(s.output)).toEqual([]);
    // What differs between machines and runs is a placeholder, so the file changes only when what rootlab shows does.
    // (The Alpine fixture's line depends on where the checkout is: ../shared beside it, or not.)
    const placeheld = (text: string) =>
      text
        .replaceAll(ROOT.replace(/\/$/, ""), "‹rootlab›")
        .replaceAll(learner.state, "‹state›")
        .replace(/(\/var\/tmp\/rootlab\/chroot-)[A-Za-z0-9]{6}/g, "$1‹random›")
        .replace(/^alpine-rootfs cannot run here: [^\n]*\n/m, "");
    if (process.env.ROOTLAB_TRANSCRIPTS) await writeFile(join(process.env.ROOTLAB_TRANSCRIPTS, "chroot-typed.txt"), `$ sudo rootlab\n${placeheld(renderTranscript(s.output, s.cols))}`);
  }, 600_000);
});
