// Whether a process still exists, for files and folders named after the process that owns them.
/** True when PID exists (EPERM: it does, as another user's process). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
