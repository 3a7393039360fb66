#!/usr/bin/env node
// The fingerprint of what `npm run build` compiles: every file under src/, the tsconfig files and the lockfile
// (which pins the TypeScript compiler). `npm run build` writes it to dist/.source-sha256 after tsc; provisioning
// compares it with the fingerprint of the sources it copied into the VM. When they match, the host's dist/
// (plain JavaScript, the same on every OS) is copied instead of compiled again, which under QEMU's emulation
// saves minutes. `npm`'s `prepare` (run by `npm ci`, and again by the first `npx rootlab` in a folder, which installs
// the folder into npx's cache) asks --fresh first and skips tsc when dist/ is already built from these sources:
// that first `npx rootlab` took about 20 s, silent, compiling what `npm ci` had just compiled.
//
//   node provision/dist-stamp.mjs DIR           prints DIR's fingerprint
//   node provision/dist-stamp.mjs --write DIR   writes it to DIR/dist/.source-sha256
//   node provision/dist-stamp.mjs --fresh DIR   exit 0 when DIR/dist/.source-sha256 is DIR's fingerprint, else 1
//
// Plain Node.js, no dependencies: it runs in the VM before anything is installed there.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const INPUT_FILES = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
const STAMP_FILE = "dist/.source-sha256";

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function sourceFingerprint(root) {
  const files = [...INPUT_FILES.map((f) => join(root, f)), ...filesUnder(join(root, "src"))];
  const names = files.map((f) => relative(root, f)).sort();
  const hash = createHash("sha256");
  for (const name of names) {
    // name and content, each length-prefixed: no two different trees give the same byte stream
    const content = readFileSync(join(root, name));
    hash.update(`${Buffer.byteLength(name)}:${name}\n${content.length}:`).update(content).update("\n");
  }
  return hash.digest("hex");
}

const args = process.argv.slice(2);
const mode = args[0] === "--write" || args[0] === "--fresh" ? args.shift() : undefined;
const root = args[0] ?? ".";
try {
  const fingerprint = sourceFingerprint(root);
  if (mode === "--write") writeFileSync(join(root, STAMP_FILE), `${fingerprint}\n`);
  else if (mode === "--fresh") {
    const stamp = join(root, STAMP_FILE);
    process.exit(existsSync(stamp) && readFileSync(stamp, "utf8").trim() === fingerprint ? 0 : 1);
  } else process.stdout.write(`${fingerprint}\n`);
} catch (e) {
  process.stderr.write(`dist-stamp: cannot fingerprint the sources in ${root}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
