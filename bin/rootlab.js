#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, run by `prepare` on `npm ci`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("rootlab: the compiled CLI is missing (dist/). Run `npm ci` or `npm run build` in the rootlab folder.\n");
  process.exit(2);
}
await import(entry.href);
