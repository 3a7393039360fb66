// Command name -> lazy module. Lazy so `rootlab --version` and `rootlab list` start fast.
import type { Command } from "./command.js";

type Loader = () => Promise<{ command: Command }>;

export const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  menu: { summary: "Pick a lab and follow it step by step (the default: plain `sudo rootlab`)", load: () => import("./commands/menu.js") },
  start: { summary: "Open a lab in guided mode, resuming where you left off", load: () => import("./commands/start.js") },
  list: { summary: "List the labs, whether they can run here, and your progress", load: () => import("./commands/list.js") },
  show: { summary: "Print a lab as text", load: () => import("./commands/show.js") },
  reset: { summary: "Forget your progress in a lab and clean up after it", load: () => import("./commands/reset.js") },
  verify: { summary: "Run labs non-interactively and check every step (instructors, CI)", load: () => import("./commands/verify.js") },
  explain: { summary: "Run a lab and show, per step, its explanation beside what changed on the machine", load: () => import("./commands/explain.js") },
  lint: { summary: "Check lab files against the format and the authoring rules", load: () => import("./commands/lint.js") },
  new: { summary: "Scaffold a new lab that passes lint and verify", load: () => import("./commands/new.js") },
  watch: { summary: "Re-lint and re-verify a lab each time it is saved", load: () => import("./commands/watch.js") },
  cache: { summary: "Fill the cache of what labs download (the Alpine minirootfs) so they run offline", load: () => import("./commands/cache.js") },
  doctor: { summary: "Show what this machine can do and which labs can run here", load: () => import("./commands/doctor.js") },
  room: { summary: "A workshop room: the instructor's live dashboard (serve) and students joining it (join)", load: () => import("./commands/room.js") },
  vm: { summary: "Drive the disposable lab VM with Vagrant (up, ssh, verify, status, destroy)", load: () => import("./commands/vm.js") },
};
