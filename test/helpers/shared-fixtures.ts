// What the tests borrow from ../shared (beside the checkout in CI; absent in a user's clone) and from the
// machine, with the reason a test is skipped when it is not there. Tests that need these skip, never fail.
import { accessSync, constants, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

/** Alpine's official minirootfs, shipped beside the checkout for offline tests. */
export const ALPINE_FIXTURE = fileURLToPath(new URL("../../../shared/fixtures/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", import.meta.url));

export const ALPINE_MISSING = existsSync(ALPINE_FIXTURE)
  ? undefined
  : `needs the Alpine fixture at ${ALPINE_FIXTURE} (../shared beside the checkout, as in CI); tests never download it`;

/** describe() skipped, with the reason in its title, when the Alpine fixture is not beside the checkout. */
export function describeWithAlpine(name: string, fn: () => void): void {
  if (ALPINE_MISSING) describe.skip(`${name} [skipped: ${ALPINE_MISSING}]`, fn);
  else describe(name, fn);
}

/**
 * Why another user (uid 65534) cannot run the built CLI from this checkout, or undefined when it can. A clone in
 * root's home (mode 700) is out of other users' reach: tests that run rootlab as an ordinary user skip there.
 */
export function unprivilegedCannotRun(file: string): string | undefined {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    return `${file} is missing`;
  }
  const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", file], { stdio: "ignore" });
  if (r.status === 0) return undefined;
  return `an ordinary user (uid 65534) cannot read ${file}: a folder above it (${dirname(file)} or higher) is closed to other users, as root's home is`;
}
