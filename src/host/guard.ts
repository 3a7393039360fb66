// Refuse to run labs where they could do harm: labs run as root and change network and mount state.
import { existsSync } from "node:fs";
import { RefusedError } from "../core/errors.js";
import { DISPOSABLE_MARKER, isRoot, rootlabCommand, sudoRerun } from "./paths.js";

export type DisposableState =
  | { disposable: true; via: "marker" | "env" | "flag" }
  | { disposable: false };

export function disposableState(disposableFlag: boolean): DisposableState {
  if (disposableFlag) return { disposable: true, via: "flag" };
  if (process.env.ROOTLAB_DISPOSABLE === "1") return { disposable: true, via: "env" };
  if (existsSync(DISPOSABLE_MARKER)) return { disposable: true, via: "marker" };
  return { disposable: false };
}

/**
 * Why labs are refused here and the two ways on. rootlab is named the way the person ran it, and each command to
 * copy is a line of its own, so wrapping at the terminal's width never splits one (a split `sudo touch` line,
 * copied, runs `touch` with no file).
 */
export function notDisposableMessage(rootlab = rootlabCommand()): string {
  return [
    `this machine is not marked as disposable (${DISPOSABLE_MARKER} does not exist).`,
    // One line, wrapped by whoever prints it: broken here, it left "mounts);" alone on a line at 80 columns.
    "Labs run as root and change network and mount state (namespaces, links, bridges, firewall rules, mounts): a lab that fails half-way could leave this machine damaged.",
    "Run labs in the rootlab VM:",
    `  ${rootlab} vm up && ${rootlab} vm ssh`,
    "On a throw-away machine, mark it once:",
    `  sudo mkdir -p /etc/rootlab && sudo touch ${DISPOSABLE_MARKER}`,
    "(or pass --disposable, or set ROOTLAB_DISPOSABLE=1, for a single run).",
  ].join("\n");
}

declare const mayExecute: unique symbol;
/**
 * Proof that assertMayExecute passed: a command checks the machine once, as early as it can, and hands this to
 * the lab run (LabRun.open asks for it instead of checking again). Only assertMayExecute makes one.
 */
export interface MayExecute {
  readonly [mayExecute]: true;
}

/** Throws RefusedError (exit 3) unless we are root on a machine marked disposable. */
export function assertMayExecute(opts: { disposableFlag: boolean }): MayExecute {
  if (!isRoot()) {
    throw new RefusedError(`rootlab runs labs as root: they create namespaces, links and mounts.\nRun: ${sudoRerun()}`);
  }
  if (!disposableState(opts.disposableFlag).disposable) throw new RefusedError(notDisposableMessage());
  return {} as MayExecute;
}
