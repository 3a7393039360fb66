// Numbers people should not have to decode: exit statuses and durations, in words.
import { constants } from "node:os";

/** What a signal usually means to someone reading a failed lab step. */
const SIGNAL_NOTES: Record<string, string> = {
  SIGINT: "Ctrl-C",
  SIGKILL: "often the OOM killer or a timeout",
  SIGSEGV: "segmentation fault",
  SIGTERM: "asked to stop",
  SIGPIPE: "its reader went away",
  SIGABRT: "aborted",
  SIGHUP: "its terminal went away",
};

/** Signal number → its first name (SIGABRT rather than its alias SIGIOT). */
function signalName(n: number): string | undefined {
  for (const [name, num] of Object.entries(constants.signals)) if (num === n) return name;
  return undefined;
}

function killedBy(name: string): string {
  const note = SIGNAL_NOTES[name];
  return note === undefined ? `killed by ${name}` : `killed by ${name} (${note})`;
}

/**
 * An exit status (or the signal that ended a process) in words: 0 "success", 1 "general failure",
 * 127 "command or program not found", 137 "killed by SIGKILL (often the OOM killer or a timeout)", …
 * Shells report death by signal N as status 128+N, so those are named too.
 */
export function exitCodeInWords(code: number | null, signal?: string): string {
  if (code === null) return signal ? killedBy(signal) : "no exit status";
  switch (code) {
    case 0:
      return "success";
    case 1:
      return "general failure";
    case 2:
      return "misuse (bad usage / syntax)";
    case 126:
      return "could not execute it";
    case 127:
      return "command or program not found";
  }
  if (code > 128 && code <= 128 + 64) {
    const name = signalName(code - 128);
    return name ? killedBy(name) : `killed by signal ${code - 128}`;
  }
  return `exited with status ${code}`;
}

/** "12 ms", "1.4 s", "2 m 03 s", "1 h 05 m". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, "0")} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} m`;
}
