// Which shell program a session runs, as a path inside its root: what `sh -c` of an entered session's command
// uses, like a child of that shell would.
import { statSync } from "node:fs";
import { join } from "node:path";

function isExecutableFile(path: string): boolean {
  try {
    const s = statSync(path);
    return s.isFile() && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * The session's own shell ($0) when its root has it (a bare name is looked up on the session's PATH), else
 * /bin/sh — after pivot_root into a busybox root the session's "bash" may exist only in memory. Undefined when
 * the root has neither.
 */
export function shellInRoot(pid: number, state: { shell: string; env: Record<string, string> }): string | undefined {
  const root = `/proc/${pid}/root`;
  const candidates: string[] = [];
  if (state.shell.startsWith("/")) candidates.push(state.shell);
  else if (state.shell) {
    for (const dir of (state.env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(":")) if (dir.startsWith("/")) candidates.push(join(dir, state.shell));
  }
  candidates.push("/bin/sh");
  return candidates.find((path) => isExecutableFile(`${root}${path}`));
}
