#!/usr/bin/env node
// The fingerprint of what `npm run build` compiles: every file under src/, the tsconfig files and the lockfile
// (which pins the TypeScript compiler). `npm run build` writes it to dist/.source-sha256 after tsc; provisioning
// compares it with the fingerprint of the sources it copied into the VM. When they match, the host's dist/
// (plain JavaScript, the same on every OS) is copied instead of compiled again, which under QEMU's emulation
// saves minutes.
//
//   node provision/dist-stamp.mjs DIR           prints DIR's fingerprint
//   node provision/dist-stamp.mjs --write DIR   writes it to DIR/dist/.source-sha256
//
// Plain Node.js, no dependencies: it runs in the VM before anything is installed there.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
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
const write = args[0] === "--write";
const root = (write ? args[1] : args[0]) ?? ".";
try {
  const fingerprint = sourceFingerprint(root);
  if (write) writeFileSync(join(root, STAMP_FILE), `${fingerprint}\n`);
  else process.stdout.write(`${fingerprint}\n`);
} catch (e) {
  process.stderr.write(`dist-stamp: cannot fingerprint the sources in ${root}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
