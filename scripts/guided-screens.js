#!/usr/bin/env node
// Regenerates the screens shown in docs/guided-mode.md from the chroot lab, with guided mode's own render
// functions (no colour, 80 columns). Run after changing what guided mode prints: `npm run build && node
// scripts/guided-screens.js`. test/unit/guided-doc-screens.test.ts fails while the doc is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadLab } from "../dist/format/load.js";
import { sampleScreens, withScreens } from "../dist/guided/sample-screens.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const doc = `${root}docs/guided-mode.md`;
const lab = await loadLab(`${root}labs/01-chroot.md`);
if (!lab.ok) throw new Error("labs/01-chroot.md does not parse: run `rootlab lint labs/01-chroot.md`");
const before = readFileSync(doc, "utf8");
const after = withScreens(before, sampleScreens(lab.lab, 80));
writeFileSync(doc, after);
process.stdout.write(before === after ? "docs/guided-mode.md: screens already up to date\n" : "docs/guided-mode.md: screens regenerated\n");
