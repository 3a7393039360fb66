// Command name -> lazy module. Lazy so `rootlab --version` and `rootlab list` start fast.
import type { Command } from "./command.js";

type Loader = () => Promise<{ command: Command }>;

export const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  verify: { summary: "Run labs non-interactively and check every step (instructors, CI)", load: () => import("./commands/verify.js") },
  list: { summary: "List the labs, whether they can run here, and your progress", load: () => import("./commands/list.js") },
  show: { summary: "Print a lab as text", load: () => import("./commands/show.js") },
  doctor: { summary: "Show what this machine can do and which labs can run here", load: () => import("./commands/doctor.js") },
};
