// The student's path through a labs folder: its lab files in name order. The `NN-` prefix of the file names is the
// one place the order lives; `rootlab list`, the menu, guided mode's "next" and the README's lab table follow it
// (lint's lab/next-link, src/lint/path-order.ts, checks each lab's closing "Next:" against it, and
// test/unit/lint-path-order.test.ts the README table).
import { resolve } from "node:path";
import { findLabFiles, loadLab } from "./load.js";
import type { Lab } from "./types.js";

/** The lab after `file` on its folder's path, or undefined when `file` is the last one (or not in a labs folder). */
export async function nextLab(file: string, dir: string): Promise<Lab | undefined> {
  const files = await findLabFiles(dir);
  const here = files.indexOf(resolve(file));
  if (here === -1) return undefined;
  for (const next of files.slice(here + 1)) {
    const parsed = await loadLab(next);
    if (parsed.ok) return parsed.lab;
  }
  return undefined;
}
