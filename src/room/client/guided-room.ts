// The workshop room as guided mode sees it (src/guided/room-hooks.ts): run events and the learner's actions
// go to the outbox; the pace gate is asked before each step; a raised hand carries the step's last commands.
import type { Lab, Step } from "../../format/types.js";
import type { GuidedRoom, RaisedHand } from "../../guided/room-hooks.js";
import type { RunEvent } from "../../exec/types.js";
import type { RoomClient } from "./client.js";
import { RunToRoom } from "./reporter.js";
import { LIMITS } from "../schema.js";

/** How long one gate request waits for the instructor before asking again. */
const GATE_POLL_S = 20;
/** After the room did not answer, let steps start without asking for this long. */
const UNREACHABLE_QUIET_MS = 60_000;
/** Commands kept per step for a raised hand. */
const LAST_COMMANDS = 10;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export class GuidedRoomLink implements GuidedRoom {
  private readonly mapper = new RunToRoom();
  private lab?: Lab;
  /** Commands rootlab ran in each step (index → code), newest last. */
  private readonly ran = new Map<number, string[]>();
  private quietUntil = 0;

  constructor(private readonly client: RoomClient) {}

  observe = (e: RunEvent): void => {
    if (e.type === "lab-start") {
      this.lab = e.lab;
      this.ran.clear();
    }
    if (e.type === "block-start" && (e.block.role === "command" || e.block.role === "solution")) {
      const block = this.lab?.steps[e.block.stepIndex]?.blocks.find((b) => b.line === e.block.line);
      if (block) this.ran.set(e.block.stepIndex, [...(this.ran.get(e.block.stepIndex) ?? []), block.code.trimEnd()].slice(-LAST_COMMANDS));
    }
    for (const body of this.mapper.map(e)) this.client.send(body);
  };

  note(kind: "hint" | "solution", lab: string, step: number): void {
    this.client.send({ kind, lab, step });
  }

  async waitForStep(lab: Lab, step: Step, say: (text: string) => void, signal: AbortSignal): Promise<void> {
    if (Date.now() < this.quietUntil) return;
    let told = false;
    while (!signal.aborted) {
      const answer = await this.client.gate(lab.meta.id, step.index, told ? GATE_POLL_S : 0, signal);
      if ("unreachable" in answer) {
        // The gate is open when the room cannot be reached: a workshop's network never stops a student.
        this.quietUntil = Date.now() + UNREACHABLE_QUIET_MS;
        if (told) say("The room does not answer; going on.");
        return;
      }
      if (answer.open) {
        if (told) say(`The instructor released step ${step.index + 1}; going on.`);
        return;
      }
      if (!told) say(`\nThe instructor has not released step ${step.index + 1} ("${step.title}") yet. Wait here: rootlab goes on by itself once it is released (Ctrl-C quits; your progress is kept).`);
      told = true;
    }
  }

  raiseHand(hand: RaisedHand): { check?: string; detail?: string; commands: string[] } {
    const commands = [...(this.ran.get(hand.step) ?? []), ...hand.typed].slice(-LIMITS.commands).map((c) => clip(c, LIMITS.commandChars));
    const sent = {
      ...(hand.check ? { check: clip(hand.check, LIMITS.checkChars) } : {}),
      ...(hand.detail ? { detail: clip(hand.detail, LIMITS.detailChars) } : {}),
      commands,
    };
    this.client.send({ kind: "hand", lab: hand.lab, step: hand.step, ...sent });
    return sent;
  }
}
