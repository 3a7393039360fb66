// Running the box build's commands: each one is a step whose output lines become progress events, and whose
// failure becomes an error that names the command and quotes the end of its output. Never prints.
import { spawn } from "node:child_process";

/** What the box build reports while it works (the CLI prints it; tests collect it). */
export type BoxEvent =
  | { type: "step"; name: string }
  | { type: "detail"; text: string }
  | { type: "done"; name: string; ms: number };

export type BoxEmit = (e: BoxEvent) => void;

export interface StepCommand {
  file: string;
  args: string[];
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Which output lines are worth showing (others are kept only for the error message). */
  show?: (line: string) => boolean;
}

/** Runs one command; resolves with its stdout, rejects with an error that says what failed and ends its output. */
export function runStep(cmd: StepCommand, emit: BoxEmit): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.file, cmd.args, { env: cmd.env ?? process.env, cwd: cmd.cwd, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    let stdout = "";
    const onData = (isOut: boolean) => {
      let partial = "";
      return (chunk: Buffer) => {
        const text = partial + chunk.toString("utf8");
        if (isOut) stdout += chunk.toString("utf8");
        const lines = text.split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 30) tail.shift();
          if (cmd.show?.(line)) emit({ type: "detail", text: line.trim() });
        }
      };
    };
    child.stdout.on("data", onData(true));
    child.stderr.on("data", onData(false));
    const timer = setTimeout(() => child.kill("SIGKILL"), cmd.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`${cmd.file}: could not start it (${err.message}); is it installed?`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(stdout);
      const how = signal ? `was killed by ${signal}${signal === "SIGKILL" ? ` (time limit ${Math.round(cmd.timeoutMs / 1000)} s)` : ""}` : `exited with ${code}`;
      const shown = tail.filter((l) => l.trim() !== "").slice(-12).map((l) => `    ${l}`).join("\n");
      reject(new Error(`${cmd.file} ${cmd.args.join(" ")} ${how}. Its last output:\n${shown || "    (none)"}`));
    });
  });
}

/** Things to undo, run in reverse order whatever happened (a failed undo is reported, the others still run). */
export class UndoStack {
  private readonly undos: { what: string; fn: () => Promise<unknown> }[] = [];

  push(what: string, fn: () => Promise<unknown>): void {
    this.undos.push({ what, fn });
  }

  async unwind(): Promise<string[]> {
    const failures: string[] = [];
    while (this.undos.length > 0) {
      const u = this.undos.pop()!;
      try {
        await u.fn();
      } catch (err) {
        failures.push(`${u.what}: ${(err as Error).message}`);
      }
    }
    return failures;
  }
}
