// Messages a new user reads name rootlab the way it was run (`npx rootlab`, `node bin/rootlab.js`, `rootlab`), so their
// examples and "--help" hints can be pasted: a new user under npx was told `rootlab show --help`, which their
// shell does not know until `npm link`.
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";

const CMD = "node bin/rootlab.js";

describe("usage errors name rootlab as it was run", () => {
  test.each([
    ["a misspelt option", ["show", "chroot", "--widht", "50"], `Run \`${CMD} show --help\` for the options.`],
    ["an option before any command", ["--nope"], `e.g. \`${CMD} list\`; run \`${CMD} --help\``],
    ["an unknown command", ["lsit"], `Run \`${CMD} --help\` for the list.`],
    ["verify without a lab", ["verify"], `Example: ${CMD} verify chroot`],
    ["show without a lab", ["show"], `Example: ${CMD} show chroot`],
    ["verify --out without a machine report", ["verify", "chroot", "--out", "x.xml"], `Example: ${CMD} verify chroot --report junit`],
    ["explain with an unknown diagram", ["explain", "chroot", "--diagram", "png"], `Example: ${CMD} explain netns-veth --diagram mermaid`],
    ["list of a missing folder", ["list", "--labs-dir", "/nonexistent-rootlab-labs"], `e.g. ${CMD} list --labs-dir ./labs`],
    ["new without an id", ["new"], `e.g. \`${CMD} new netns-basics\``],
    ["reset without a terminal", ["reset", "chroot"], `Add --yes to reset without asking: ${process.getuid?.() === 0 && !process.env.SUDO_USER ? "" : "sudo "}${CMD} reset chroot --yes`],
  ])("%s", async (_name, args, words) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.replace(/\n/g, " ")).toContain(words);
  });
});

describe("cache status of an empty cache", () => {
  test("the path on a line of its own (a terminal would cut it), the fill command named as run, sudo only when not root", async () => {
    const cache = "/nonexistent-rootlab-cache";
    const r = await runCli(["cache", "status"], { env: { ROOTLAB_CACHE: cache } });
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/: not cached; it goes to:$/);
    expect(lines[1]).toBe(`    ${cache}/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz`);
    const asRoot = process.getuid?.() === 0 && !process.env.SUDO_USER ? CMD : `sudo ${CMD}`;
    expect(lines[2]).toBe(`  Fill it: ${asRoot} cache fill [--from FILE-or-URL]`);
  });
});
