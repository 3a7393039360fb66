// The join string students type: the room's base URL and its code, as `http://HOST:PORT/r/CODE`.
import { randomBytes } from "node:crypto";
import { deadline as timeLimit } from "./deadline.js";

export interface JoinTarget {
  /** The join string as given (normalised). */
  join: string;
  base: string;
  code: string;
}

/** Parses a join string; throws an Error that says what a join string looks like. */
export function parseJoin(text: string): JoinTarget {
  const example = "Expected the join address the instructor shows, e.g. http://192.168.1.10:8080/r/Xy3…";
  if (!/^\s*[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new Error(`"${text.trim()}" must start with http://. ${example}`);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`"${text}" is not an address. ${example}`);
  }
  const m = /^\/r\/([A-Za-z0-9_-]{8,100})\/?$/.exec(url.pathname);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`"${text}" must start with http:// (or https://). ${example}`);
  if (!m) throw new Error(`"${text}" has no room code (/r/CODE). ${example}`);
  const base = `${url.protocol}//${url.host}`;
  return { join: `${base}/r/${m[1]}`, base, code: m[1]! };
}

/**
 * A new join key: the runner makes it up before its first join and keeps it (room.json), and sends it with every
 * join, so a join sent again after its answer was lost gets the same student back instead of a second one.
 */
export const newJoinKey = (): string => randomBytes(24).toString("base64url");

export interface Joined {
  token: string;
  student: string;
}

/**
 * A join that failed. `refused`: the room answered and said no (wrong code, room full, a name it does not take),
 * so it certainly made no student; otherwise (unreachable, time-out, answer lost) it may have made one, and a join
 * with the same key finds it.
 */
export class JoinError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
    /** False when the request never reached a room (nothing listens, no route, no such name): no student was made. */
    readonly reached = true,
  ) {
    super(message);
  }
}

/** Causes of a failed fetch that mean the request never left for a room (so the room cannot have made anyone). */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * How a room from before join keys (its schema had no `key`) refuses a join that carries one: Ajv's message for
 * an extra property. `room` and `name` are the only other fields a runner sends, so the extra one is the key.
 */
const OLDER_ROOM_REFUSES_KEY = /must NOT have additional properties/i;

/**
 * Asks the room for a student token. Throws a JoinError saying what failed (unreachable, wrong code, …). The room
 * may have made the student even when this throws (a time-out): join again with the same `key`. A room from
 * before join keys is asked again without the key (each of its joins is a new student, as it always was).
 */
export async function joinRoom(target: JoinTarget, name: string, key: string, timeoutMs: number, signal?: AbortSignal): Promise<Joined> {
  const deadline = Date.now() + timeoutMs;
  let withKey = true;
  for (;;) {
    let res: Response;
    const limit = timeLimit(Math.max(1, deadline - Date.now()), ...(signal ? [signal] : []));
    try {
      res = await fetch(`${target.base}/api/join`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(withKey ? { room: target.code, name, key } : { room: target.code, name }),
        signal: limit.signal,
      });
    } catch (err) {
      limit.done();
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new JoinError(`cannot reach the room at ${target.base} (${cause}): is \`rootlab room serve\` running there, and is this machine on the room's network?`, false, !NEVER_SENT.has(cause));
    }
    // The whole class joins at once: wait as the room asks, while there is time.
    const wait = (Number(res.headers.get("retry-after")) || 1) * 1000;
    if (res.status === 429 && Date.now() + wait <= deadline) {
      await res.body?.cancel();
      limit.done();
      await new Promise((r) => setTimeout(r, wait));
      continue;
    }
    const body = (await res.json().catch(() => ({}))) as { error?: string; token?: string; student?: string };
    limit.done();
    if (res.status === 400 && withKey && OLDER_ROOM_REFUSES_KEY.test(body.error ?? "")) {
      withKey = false;
      continue;
    }
    if (res.ok && body.token && body.student) return { token: body.token, student: body.student };
    // 4xx: the room said no and made no student; 429 past the deadline and 5xx may be tried again.
    const refused = res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408;
    throw new JoinError(`the room at ${target.base} refused to let you join: ${body.error ?? `HTTP ${res.status}`}`, refused);
  }
}
