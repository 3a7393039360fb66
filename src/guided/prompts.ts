// The learner's choices, asked with enquirer. Every prompt can end in "cancelled" (Esc, Ctrl-C, or the run
// being aborted because the terminal closed) so the flow can always quit and clean up instead of hanging.
import Enquirer from "enquirer";

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
  /** Shown but not selectable, with this reason. */
  disabled?: string;
}

export type Answer<T extends string> = { kind: "chosen"; value: T } | { kind: "cancelled" };

interface PromptInstance {
  run(): Promise<unknown>;
  cancel(err?: unknown): Promise<void>;
}
type PromptClass = new (opts: Record<string, unknown>) => PromptInstance;

const { Select, Confirm } = Enquirer as unknown as { Select: PromptClass; Confirm: PromptClass };

async function runPrompt(prompt: PromptInstance, signal?: AbortSignal): Promise<{ ok: true; value: unknown } | { ok: false }> {
  if (signal?.aborted) return { ok: false };
  const onAbort = () => void prompt.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return { ok: true, value: await prompt.run() };
  } catch {
    return { ok: false };
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

export async function choose<T extends string>(
  message: string,
  choices: Choice<T>[],
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; signal?: AbortSignal },
): Promise<Answer<T>> {
  const prompt = new Select({
    name: "choice",
    message,
    stdin: io.stdin,
    stdout: io.stdout,
    // Enquirer shows a choice's `name` once it is picked: use the label, map it back to the value below.
    choices: choices.map((c) => ({
      name: c.label,
      ...(c.hint ? { hint: `(${c.hint})` } : {}),
      ...(c.disabled ? { disabled: c.disabled } : {}),
    })),
  });
  const answer = await runPrompt(prompt, io.signal);
  if (!answer.ok) return { kind: "cancelled" };
  const picked = choices.find((c) => c.label === answer.value);
  return picked ? { kind: "chosen", value: picked.value } : { kind: "cancelled" };
}

export async function confirm(message: string, io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; signal?: AbortSignal }): Promise<boolean> {
  const prompt = new Confirm({ name: "ok", message, initial: false, stdin: io.stdin, stdout: io.stdout });
  const answer = await runPrompt(prompt, io.signal);
  return answer.ok && answer.value === true;
}
