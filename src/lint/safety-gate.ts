// Labs run as root on a real machine: one that lint finds unsafe (traffic to outside addresses, eth0, the default
// route, host sysctls, mounts over the host's /proc…) is never executed, by any command.
import { readFile } from "node:fs/promises";
import type { Diagnostic, Lab } from "../format/types.js";
import { lintLab } from "./lint.js";

export async function safetyProblems(lab: Lab): Promise<Diagnostic[]> {
  const source = await readFile(lab.file, "utf8").catch(() => undefined);
  return lintLab(lab, source).filter((d) => d.severity === "error" && d.code.startsWith("safety/"));
}
