// Tests that touch the kernel need root. Elsewhere they are reported as skipped with the reason, never passed.
import { describe } from "vitest";

export const isRoot = process.getuid?.() === 0;
export const ROOT_REASON = "needs root (namespaces, links, mounts): run the tests as root, as CI does";

/** describe() that is skipped, with the reason in its title, when not root. */
export function describeAsRoot(name: string, fn: () => void): void {
  if (isRoot) describe(name, fn);
  else describe.skip(`${name} [skipped: ${ROOT_REASON}]`, fn);
}
