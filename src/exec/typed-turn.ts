// The learner's turn in a session's own shell, as a lab run tells it (guided mode's "I'll type it myself"):
// typed-shell-start, the turn itself (Sessions.typeInto, ./typed-shell.ts), typed-shell-end with how it ended.
import type { EventSink, LearnerTerminal, Sessions, TypedTurn } from "./types.js";

export async function typedTurn(sessions: Sessions, emit: EventSink, labId: string, session: string, terminal: LearnerTerminal): Promise<TypedTurn> {
  emit({ type: "typed-shell-start", labId, session, pid: sessions.pid(session) ?? 0 });
  const turn = await sessions.typeInto(session, terminal);
  const how = turn.kind === "returned" ? "returned" : turn.kind === "ended" ? "session-ended" : "unavailable";
  emit({ type: "typed-shell-end", labId, session, how, ...(turn.kind === "returned" ? {} : { reason: turn.reason }) });
  return turn;
}
