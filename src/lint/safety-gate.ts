// Labs run as root on a real machine. rootlab refuses to run a lab with lint errors of these kinds, by any command:
// - safety/*: traffic to outside addresses, eth0, the default route, host sysctls, mounts over the host's /proc…;
// - session/*: a block would run in a session that does not exist (it would hang or run on the host instead);
// - expect/*: expected output that can never match (an invalid `(re)` line).
import { readFile } from "node:fs/promises";
import type { Diagnostic, Lab } from "../format/types.js";
import { lintLab } from "./lint.js";

/** Code prefixes of the lint errors that stop a lab from running. */
export const BLOCKING_PREFIXES = ["safety/", "session/", "expect/"] as const;

/**
 * Linted once per parsed lab: the CLI asks before taking the run lock (or `watch` shows every problem), the lab
 * run asks again when it opens and gets the same answer.
 */
const linted = new WeakMap<Lab, Promise<Diagnostic[]>>();

/** Every lint problem of the parsed lab (lintLab), computed once per Lab object. */
export function lintOnce(lab: Lab): Promise<Diagnostic[]> {
  let all = linted.get(lab);
  if (!all) {
    all = (async () => lintLab(lab, lab.source ?? (await readFile(lab.file, "utf8").catch(() => undefined))))();
    linted.set(lab, all);
  }
  return all;
}

async function lintErrors(lab: Lab): Promise<Diagnostic[]> {
  return (await lintOnce(lab)).filter((d) => d.severity === "error");
}

/** Lint errors that make rootlab refuse to run the lab: codes starting with safety/, session/ or expect/. */
export async function blockingProblems(lab: Lab): Promise<Diagnostic[]> {
  return (await lintErrors(lab)).filter((d) => BLOCKING_PREFIXES.some((p) => d.code.startsWith(p)));
}

/** The safety/ subset of blockingProblems (kept for callers that only ask about safety). */
export async function safetyProblems(lab: Lab): Promise<Diagnostic[]> {
  return (await lintErrors(lab)).filter((d) => d.code.startsWith("safety/"));
}
