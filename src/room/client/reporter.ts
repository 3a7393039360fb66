// What the room hears of a run: the engine's typed events (RunEvent), turned into room events. Only facts
// about progress — lab, step, check names and pass/fail — never a command's output or what the student typed.
import type { RunEvent } from "../../exec/types.js";
import type { StudentEventBody } from "../types.js";
import { LIMITS } from "../schema.js";

/** Text as the room's schema takes it: printable, within its length (a lab's long check name must not make the room refuse a whole batch). */
function fit(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim() || "?";
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The reasons the guided runner gives when the learner skips or quits a step (src/guided/guided-run.ts). */
const SKIPPED_BY_LEARNER = "skipped by the learner";
const LEARNER_QUIT = "the learner quit";
/** src/guided/replay.ts: an earlier step re-created on resume (or --from) — the learner did it before. */
const REESTABLISHED = "re-established (resume); checks not run";

/**
 * Turns a run's events into room events. Stateful to say "quit" once instead of "finished", and to tell a step
 * re-created on resume (done: the learner did it in an earlier run) from one worked on now.
 */
export class RunToRoom {
  private quit = new Set<string>();
  private replayed = new Set<string>();

  /**
   * timed: false for `verify`, which runs a step in seconds: without "step-started" its steps count as done with
   * no time, so they never become the room's median for a step (a student reading it for five minutes would be
   * "stuck" next to a few verify runs). Sent as re-created steps are, so every room takes them.
   */
  constructor(private readonly opts: { timed: boolean } = { timed: true }) {}

  map(e: RunEvent): StudentEventBody[] {
    switch (e.type) {
      case "lab-start":
        this.quit.delete(e.lab.meta.id);
        return [{ kind: "lab-started", lab: e.lab.meta.id, title: fit(e.lab.title, 200), steps: e.lab.steps.slice(0, LIMITS.steps).map((s) => fit(s.title, 200)) }];
      case "step-start":
        // A re-created step is not being worked on: "started" would show it as in progress (and restart its clock).
        if (e.replay) {
          this.replayed.add(`${e.labId}\u0000${e.step.index}`);
          return [];
        }
        return this.opts.timed ? [{ kind: "step-started", lab: e.labId, step: e.step.index }] : [];
      case "check":
        // Checks run before a step (--strict) are expected to fail: they say nothing about the student.
        if (e.phase !== "after" || e.block.stepIndex < 0) return [];
        return [{ kind: "check", lab: e.block.labId, step: e.block.stepIndex, check: fit(e.block.name ?? `check at line ${e.block.line}`, LIMITS.checkChars), pass: e.outcome.status === "pass" }];
      case "step-end": {
        const { outcome, index } = e.summary;
        const replayed = this.replayed.delete(`${e.labId}\u0000${index}`);
        // Re-created steps count as done (the room keeps the time of the run that did them).
        if (replayed && outcome.status === "skipped" && outcome.reason === REESTABLISHED) return [{ kind: "step-passed", lab: e.labId, step: index }];
        if (replayed) return [];
        if (outcome.status === "pass") return [{ kind: "step-passed", lab: e.labId, step: index }];
        if (outcome.status === "skipped" && outcome.reason === SKIPPED_BY_LEARNER) return [{ kind: "step-skipped", lab: e.labId, step: index }];
        if (outcome.status === "skipped" && outcome.reason === LEARNER_QUIT && !this.quit.has(e.labId)) {
          this.quit.add(e.labId);
          return [{ kind: "quit", lab: e.labId }];
        }
        return [];
      }
      case "lab-end":
        if (this.quit.has(e.summary.id)) return [];
        return [{ kind: "lab-finished", lab: e.summary.id, passed: e.summary.outcome.status === "pass" }];
      default:
        return [];
    }
  }
}
