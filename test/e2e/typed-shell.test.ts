// "I'll type it myself" at the engine: the learner types into the session's own shell — the very process the
// blocks run in ($$, PID 1 in a PID namespace, variables, cwd) — and gives it back with `check` or Ctrl-]. The
// test plays the learner: it types keys and reads the terminal, waiting on what the terminal shows.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { openSessions } from "../../src/exec/sessions.js";
import { shimsDir } from "../../src/host/paths.js";
import type { LearnerTerminal, RunRequest, Sessions, TypedTurn } from "../../src/exec/types.js";

/** The learner's side: keys typed into the session, the screen as text, waits on what appears. */
class Learner implements LearnerTerminal {
  screen = "";
  notices: string[] = [];
  label = "(rootlab t)";
  term = "xterm-256color";
  private keys: ((k: string) => void)[] = [];
  private waiters: { re: RegExp; from: number; wake: (m: RegExpMatchArray) => void }[] = [];

  write(text: string): void {
    this.screen += text;
    this.check();
  }
  notice(text: string): void {
    this.notices.push(text);
    this.write(`[notice] ${text}\n`);
  }
  onKeys(listener: (k: string) => void): () => void {
    this.keys.push(listener);
    return () => (this.keys = this.keys.filter((l) => l !== listener));
  }
  onResize(): () => void {
    return () => undefined;
  }
  size(): { cols: number; rows: number } {
    return { cols: 80, rows: 30 };
  }
  type(keys: string): void {
    for (const l of this.keys) l(keys);
  }
  /** Resolves when `re` matches the screen after what was there when called. */
  waitFor(re: RegExp): Promise<RegExpMatchArray> {
    const from = this.screen.length;
    return new Promise((wake) => {
      this.waiters.push({ re, from, wake });
      this.check();
    });
  }
  private check(): void {
    for (const w of [...this.waiters]) {
      const m = this.screen.slice(w.from).replace(/\x1b\[[0-9;?]*[A-Za-z]|\r/g, "").match(w.re);
      if (m) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.wake(m);
      }
    }
  }
}

describeAsRoot("typing into a session's own shell", () => {
  let base: string;
  let bbroot: string;
  beforeAll(() => {
    base = mkdtempSync("/var/tmp/rlt7-typed-");
    bbroot = `${base}/bbroot`;
    for (const d of ["bin", "tmp", "proc", "dev", "usr", "etc"]) mkdirSync(`${bbroot}/${d}`, { recursive: true });
    copyFileSync("/usr/bin/busybox", `${bbroot}/bin/busybox`);
    execFileSync("chmod", ["755", `${bbroot}/bin/busybox`]);
    for (const applet of ["sh", "ls", "echo", "cat", "sleep", "stty", "tty", "ps"]) symlinkSync("busybox", `${bbroot}/bin/${applet}`);
    execFileSync("mknod", ["-m", "666", `${bbroot}/dev/null`, "c", "1", "3"]);
    writeFileSync(`${bbroot}/etc/passwd`, "root:x:0:0:root:/root:/bin/sh\n");
  });
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  async function withSessions(fn: (s: Sessions, run: (code: string, extra?: Partial<RunRequest>) => ReturnType<Sessions["run"]>) => Promise<void>): Promise<void> {
    const labDir = mkdtempSync(`${base}/lab-`);
    const env = { PATH: `${shimsDir()}:/usr/sbin:/usr/bin:/sbin:/bin`, LC_ALL: "C.UTF-8", LAB_DIR: labDir, HOME: "/root" };
    const s = await openSessions({ env, labDir });
    const run = (code: string, extra: Partial<RunRequest> = {}): ReturnType<Sessions["run"]> =>
      s.run({ code, codeLine: 1, session: "host", timeoutMs: 20_000, mode: "script", ...extra });
    try {
      await fn(s, run);
    } finally {
      await s.close();
    }
  }

  /** Types a command line and waits for what it prints (`re`). */
  async function typeLine(l: Learner, line: string, re: RegExp): Promise<RegExpMatchArray> {
    const seen = l.waitFor(re);
    l.type(`${line}\r`);
    return seen;
  }

  it("bash: the same $$, variables and cwd both ways; check gives it back with what was typed", async () => {
    await withSessions(async (s, run) => {
      expect((await run("X=from-block; cd /tmp; echo $$")).stdout).toBe(`${s.pid("host")}\n`);
      const l = new Learner();
      const prompt = l.waitFor(/\(rootlab t\) \/tmp # $/);
      const turn = s.typeInto("host", l);
      await prompt;
      const m = await typeLine(l, 'echo "pid=$$ x=$X tty=$(tty)"', /pid=(\d+) x=(\S+) tty=(\S+)/);
      expect([Number(m[1]), m[2]]).toEqual([s.pid("host"), "from-block"]);
      expect(m[3]).toMatch(/^\/dev\/pts\/\d+$/);
      await typeLine(l, "Y=typed; cd /; stty size", /30 80/);
      l.type("check\r");
      const back = await turn;
      expect(back).toMatchObject({ kind: "returned" });
      expect((back as Extract<TypedTurn, { kind: "returned" }>).typed).toEqual(expect.arrayContaining(["Y=typed; cd /; stty size"]));
      // The next block runs in the same shell: what the learner did is there, and the block is driven again.
      expect(await run('echo "$Y $PWD $$"; case $- in *i*) echo interactive;; esac')).toMatchObject({ kind: "ok", stdout: `typed / ${s.pid("host")}\ninteractive\n`, stderr: "" });
    });
  });

  it("bash: a block's `set -o vi` (which bash cannot run inside a block) is the typed turn's editing mode", async () => {
    await withSessions(async (s, run) => {
      expect(await run("set -o vi\necho vi")).toMatchObject({ kind: "ok", stdout: "vi\n", stderr: "" });
      const l = new Learner();
      const turn = s.typeInto("host", l);
      await l.waitFor(/# $/);
      // In vi mode, Escape then 0 goes to the line's start, and i inserts there.
      const seen = l.waitFor(/\[ON\] vi=(\S+)\n/);
      l.type('"vi=$SHELLOPTS"\x1b0iecho [ON] \r');
      expect((await seen)[1]).toMatch(/(^|:)vi(:|$)/);
      l.type("check\r");
      expect(await turn).toMatchObject({ kind: "returned" });
      expect(await run("echo driven")).toMatchObject({ kind: "ok", stdout: "driven\n", stderr: "" });
    });
  });

  it("Ctrl-] gives it back at the prompt; while a program runs it goes to the program (said once a turn); survives exec", async () => {
    await withSessions(async (s, run) => {
      const l = new Learner();
      const turn = s.typeInto("host", l);
      await l.waitFor(/# $/);
      // The child prints once it has the terminal (bash hands it over before exec); the key reaches it.
      await typeLine(l, "sh -c 'echo started; head -c 1 | od -An -tx1; exec cat'", /\nstarted\n/);
      const forwarded = l.waitFor(/ 1d\n/);
      l.type("\x1d\r");
      await forwarded;
      expect(l.notices.join("\n")).toMatch(/^(head|sh) \(PID \d+\) is running, so Ctrl-\] goes to it/);
      expect(l.notices.join("\n")).toContain("systemd-nspawn, machinectl shell and machinectl login: press Ctrl-] three times within a second");
      l.type("\x1d\x1d\r"); // to cat now
      const prompt = l.waitFor(/# $/);
      l.type("\x04"); // Ctrl-D ends cat, as in any terminal
      await prompt;
      expect(l.notices).toHaveLength(1); // once a turn, not once a press
      await typeLine(l, "exec bash --norc", /(bash-[\d.]+# |# )$/); // no `check` function any more
      l.type("half-typed");
      l.type("\x1d");
      expect(await turn).toMatchObject({ kind: "returned" });
      expect(l.screen).not.toContain("__rl_tty"); // the line typed for the learner is not shown
      expect(await run("echo driven $$")).toMatchObject({ kind: "ok", stdout: `driven ${s.pid("host")}\n` });
    });
  });

  it("systemd-nspawn running in the typed shell: Ctrl-] three times within a second reaches it and kills the container", async () => {
    await withSessions(async (s) => {
      const l = new Learner();
      const turn = s.typeInto("host", l);
      await l.waitFor(/# $/);
      // sleep is PID 1 in the container: Ctrl-C does nothing there; nspawn's own escape is the way out.
      await typeLine(l, `systemd-nspawn -q -D ${bbroot} -M rlt7-escape /bin/sh -c 'echo inside; exec sleep 60'`, /\ninside\r?\n/);
      const back = l.waitFor(/\(rootlab t\) [^\n]*# $/);
      l.type("\x1d\x1d\x1d");
      await back;
      expect(l.notices.join("\n")).toMatch(/^systemd-nspawn \(PID \d+\) is running, so Ctrl-\] goes to it/);
      l.type("check\r");
      expect(await turn).toMatchObject({ kind: "returned" });
    });
  });

  // A real terminal answers ash's cursor query (ESC[6n at each prompt) before the learner's keys: xterm and tmux
  // send the cursor position, then `check`.
  it.each([
    ["", "typed"],
    ["\x1b[30;17R", "after a real terminal's answer to ash's cursor query"],
  ])("check typed in a shell the learner started (busybox ash in a chroot) is caught (%#: %s); exit, then check works", async (reply) => {
    await withSessions(async (s) => {
      const l = new Learner();
      const turn = s.typeInto("host", l);
      await l.waitFor(/\(rootlab t\) [^\n]*# $/);
      await typeLine(l, `PS1='inner> ' chroot ${bbroot} /bin/sh`, /inner> $/);
      const caught = l.waitFor(/\[notice\] check works[^]*inner> $/);
      l.type(`${reply}check\r`);
      await caught; // rootlab's note, then that shell's own prompt again, fresh
      expect(l.notices.join("\n")).toMatch(/^check works in the lab's own shell, and this is a shell you started inside the lab's shell \(sh, PID \d+\)\. To give the shell back: leave it with exit, then type check/);
      expect(l.screen).not.toMatch(/check: not found/);
      const outer = l.waitFor(/\(rootlab t\) [^\n]*# $/);
      l.type("exit\r");
      await outer;
      l.type("check\r");
      expect(await turn).toMatchObject({ kind: "returned" });
    });
  });

  // ash writes ESC[6n after each prompt and a real terminal answers it as input. When the next line was typed ahead
  // (or the link is slow), the answer arrives while that line's command has the terminal in cooked mode: the
  // terminal driver echoed it as text ("^[[30;17R" inside the output) and gave it to the command. Here the learner's
  // terminal answers every query it got only once the typed-ahead command runs (it reads its input, so it waits).
  it("ash's cursor-position query never reaches the learner, so no late answer is echoed as text", async () => {
    await withSessions(async (s) => {
      const l = new Learner();
      const turn = s.typeInto("host", l);
      await l.waitFor(/\(rootlab t\) [^\n]*# $/);
      const from = l.screen.length;
      await typeLine(l, `PS1='inner> ' chroot ${bbroot} /bin/sh`, /inner> $/);
      await typeLine(l, "echo started; read x; echo got-$x-", /\nstarted\n/);
      const queries = l.screen.slice(from).split("\x1b[6n").length - 1;
      l.type("\x1b[30;17R".repeat(queries));
      await typeLine(l, "", /got-.*-\ninner> $/);
      expect(queries).toBe(0);
      expect(l.screen).not.toMatch(/\^\[\[\d+;\d+R/);
      expect(l.screen).toMatch(/got--\r?\n/);
      await typeLine(l, "exit", /\(rootlab t\) [^\n]*# $/);
      l.type("check\r");
      expect(await turn).toMatchObject({ kind: "returned" });
    });
  });

  it("check typed in a bash the learner started is caught too; that shell keeps its own prompt; exit, then check works", async () => {
    await withSessions(async (s) => {
      const l = new Learner();
      const turn = s.typeInto("host", l);
      await l.waitFor(/\(rootlab t\) [^\n]*# $/);
      await typeLine(l, "PS1='inner> ' bash --norc", /inner> $/);
      const caught = l.waitFor(/\[notice\] check works[^]*inner> $/);
      l.type("check\r");
      await caught;
      expect(l.notices.join("\n")).toMatch(/this is a shell you started inside the lab's shell \(bash, PID \d+\)/);
      const outer = l.waitFor(/\(rootlab t\) [^\n]*# $/);
      l.type("exit\r");
      await outer;
      l.type("check\r");
      expect(await turn).toMatchObject({ kind: "returned" });
      expect(l.screen).not.toContain("__rl_tty"); // rootlab's own command line is never shown
    });
  });

  it("exit ends the session; rootlab says so", async () => {
    await withSessions(async (s) => {
      const l = new Learner();
      const turn = s.typeInto("host", l);
      await l.waitFor(/# $/);
      l.type("exit 7\r");
      const ended = await turn;
      expect(ended.kind).toBe("ended");
      expect((ended as { reason: string }).reason).toBe('the shell of session "host" ended (exit status 7)');
      expect(s.alive("host")).toBe(false);
    });
  });

  it.each([
    ["chroot (busybox ash): $$ is the host's pid of the session", (root: string) => `chroot ${root} /bin/sh`, "host-pid"],
    ["unshare --pid --fork bash: $$ is 1", () => "unshare --fork --pid --mount bash", "1"],
    ["systemd-nspawn: $$ is 1", (root: string) => `systemd-nspawn -q -D ${root} /bin/sh`, "1"],
  ] as const)("%s", async (_name, command, want) => {
    await withSessions(async (s, run) => {
      expect(await run(command(bbroot), { enter: "box", timeoutMs: 20_000 })).toMatchObject({ kind: "ok" });
      expect(await run("Z=set-in-box", { session: "box" })).toMatchObject({ kind: "ok" });
      const l = new Learner();
      const turn = s.typeInto("box", l);
      await l.waitFor(/\$ $|# $/);
      const m = await typeLine(l, 'echo "pid=$$ z=$Z"', /pid=(\d+) z=(\S+)/);
      const expected = want === "host-pid" ? String(s.pid("box")) : want;
      expect([m[1], m[2]]).toEqual([expected, "set-in-box"]);
      await typeLine(l, "W=from-learner", /\$ $|# $/);
      l.type("check\r");
      expect(await turn).toMatchObject({ kind: "returned" });
      expect(await run('echo "$$ $W"', { session: "box" })).toMatchObject({ kind: "ok", stdout: `${expected} from-learner\n` });
    });
  });
});
