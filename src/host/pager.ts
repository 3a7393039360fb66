// `less` on the terminal, fed TEXT: one place for how rootlab starts the pager (guided mode's "See all" and
// "Read again", and long reports such as `rootlab doctor`).
import { spawn } from "node:child_process";

/**
 * Shows TEXT in `less FLAGS` (LESSSECURE: no shell escapes or file commands from inside it) and resolves when the
 * reader leaves it: true, or false when less could not be started (the caller shows the text another way).
 */
export function pageWithLess(text: string, flags: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const pager = spawn("less", flags, { stdio: ["pipe", "inherit", "inherit"], env: { ...process.env, LESSSECURE: "1" } });
    pager.on("error", () => resolve(false));
    pager.on("close", () => resolve(true));
    pager.stdin.on("error", () => undefined);
    pager.stdin.end(text);
  });
}
