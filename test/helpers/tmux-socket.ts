// tmux leaves its socket file behind after `kill-server` (seen: hundreds of test sockets in /tmp/tmux-0); a test
// that starts a server of its own removes the file too, so nothing it made stays on the machine.
import { rmSync } from "node:fs";
import { join } from "node:path";

/** Removes the socket file of the tmux server named NAME (`tmux -L NAME`), where tmux puts it. */
export function removeTmuxSocket(name: string): void {
  const dir = join(process.env.TMUX_TMPDIR ?? "/tmp", `tmux-${process.getuid?.() ?? 0}`);
  rmSync(join(dir, name), { force: true });
}
