// The environment every block of a lab run gets (docs/architecture.md, "Machine paths and environment").
import { shimsDir } from "../host/paths.js";
import { randomBytes } from "node:crypto";


export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** Host variables that must never leak into a lab's shells (they would change how commands behave). */
const DROPPED = /^(npm_|NODE_|VITEST|ROOTLAB_SESSION_|BASH_FUNC_|PROMPT_COMMAND$|ENV$|BASH_ENV$|CDPATH$|GLOBIGNORE$)/;

export function labEnv(opts: {
  base: NodeJS.ProcessEnv;
  labId: string;
  labDir: string;
  runId: string;
  fixtures: Record<string, string>;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.base)) if (v !== undefined && !DROPPED.test(k)) env[k] = v;
  const path = opts.base.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  Object.assign(env, {
    // The shims go first, e.g. a systemd-nspawn that works without systemd as PID 1.
    PATH: `${shimsDir()}:${path}`,
    LAB_DIR: opts.labDir,
    LAB_ID: opts.labId,
    ROOTLAB_RUN_ID: opts.runId,
    // Stable messages and sort order, so expect blocks match on every machine.
    LC_ALL: "C.UTF-8",
    LANG: "C.UTF-8",
    HOME: opts.base.HOME ?? "/root",
    // Commands' own colours would pollute captured output.
    TERM: "dumb",
    NO_COLOR: "1",
    ...opts.fixtures,
  });
  return env;
}
