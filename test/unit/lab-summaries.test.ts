// `list`'s cache of lab summaries: the same answer as parsing, taken from the cache only while the file's text is
// the one it was made from, and a damaged or switched-off cache changes nothing but speed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { labSummaries, summaryCachePath } from "../../src/cli/lab-summaries.js";
import { parseLab } from "../../src/format/parse.js";

const LABS = fileURLToPath(new URL("../../labs/", import.meta.url));
const lab = (title: string) => `---\nformat: 1\nid: cached\ntitle: ${title}\nrequires:\n  root: false\n---\n\n## One\n\n\`\`\`sh\ntrue\n\`\`\`\n\n## Two\n\n\`\`\`sh\ntrue\n\`\`\`\n`;

let dir: string;
const saved = { xdg: process.env.XDG_CACHE_HOME, off: process.env.ROOTLAB_LAB_CACHE };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rl-summaries-"));
  process.env.XDG_CACHE_HOME = join(dir, "cache");
  delete process.env.ROOTLAB_LAB_CACHE;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [key, value] of [["XDG_CACHE_HOME", saved.xdg], ["ROOTLAB_LAB_CACHE", saved.off]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("lab summaries (list's cache)", () => {
  it("every shipped lab: the summary is what parsing says, first parsed and then from the cache", async () => {
    const files = readdirSync(LABS).filter((f) => f.endsWith(".md") && f !== "README.md").sort().map((f) => join(LABS, f));
    const expected = files.map((file) => {
      const r = parseLab(readFileSync(file, "utf8"), file);
      if (!r.ok) throw new Error(`${file} does not parse`);
      const { meta, title, steps } = r.lab;
      return { file, ok: true, lab: { file, meta: { id: meta.id, level: meta.level, duration: meta.duration, requires: meta.requires, uses: meta.uses }, title, steps: steps.map((s) => ({ slug: s.slug, index: s.index })) } };
    });
    expect(await labSummaries(files)).toEqual(expected);
    expect(existsSync(summaryCachePath() as string)).toBe(true);
    expect(await labSummaries(files)).toEqual(expected);
  });

  it("serves a file's summary from the cache while its text is unchanged, and parses it again once it changes", async () => {
    const file = join(dir, "lab.md");
    writeFileSync(file, lab("First title"));
    expect((await labSummaries([file]))[0]).toMatchObject({ ok: true, lab: { title: "First title", steps: [{ slug: "one" }, { slug: "two" }] } });
    // Prove the next answer comes from the cache: mark the cached entry.
    const path = summaryCachePath() as string;
    writeFileSync(path, readFileSync(path, "utf8").replace('"First title"', '"Marked in the cache"'));
    expect((await labSummaries([file]))[0]).toMatchObject({ ok: true, lab: { title: "Marked in the cache" } });
    writeFileSync(file, lab("Second title"));
    expect((await labSummaries([file]))[0]).toMatchObject({ ok: true, lab: { title: "Second title" } });
  });

  it("an invalid lab counts its errors as the parser does; an unreadable one is one error", async () => {
    const bad = join(dir, "bad.md");
    const text = "---\nformat: 1\nid: x\nbogus: 1\ntitle: [unclosed\n---\n";
    writeFileSync(bad, text);
    const parsed = parseLab(text, bad);
    const errors = parsed.ok ? 0 : parsed.diagnostics.filter((d) => d.severity === "error").length;
    expect(errors).toBeGreaterThan(0);
    for (let run = 0; run < 2; run++) expect(await labSummaries([bad, join(dir, "missing.md")])).toEqual([{ file: bad, ok: false, errors }, { file: join(dir, "missing.md"), ok: false, errors: 1 }]);
  });

  it("a damaged cache file is ignored and replaced; ROOTLAB_LAB_CACHE=off writes none", async () => {
    const file = join(dir, "lab.md");
    writeFileSync(file, lab("Title"));
    await labSummaries([file]);
    const path = summaryCachePath() as string;
    writeFileSync(path, "{ not json");
    expect((await labSummaries([file]))[0]).toMatchObject({ ok: true, lab: { title: "Title" } });
    expect(() => JSON.parse(readFileSync(path, "utf8"))).not.toThrow();
    rmSync(path);
    process.env.ROOTLAB_LAB_CACHE = "off";
    expect(summaryCachePath()).toBeUndefined();
    expect((await labSummaries([file]))[0]).toMatchObject({ ok: true, lab: { title: "Title" } });
    expect(existsSync(path)).toBe(false);
  });

  const ROOT = process.getuid?.() === 0 ? undefined : "needs root (to give the cache folder to another user)";
  it.skipIf(ROOT !== undefined)(`never writes into a folder another user owns (root with that user's HOME)${ROOT ? ` [skipped: ${ROOT}]` : ""}`, async () => {
    const home = join(dir, "someone");
    mkdirSync(home);
    chownSync(home, 65534, 65534);
    process.env.XDG_CACHE_HOME = join(home, ".cache");
    const file = join(dir, "lab.md");
    writeFileSync(file, lab("Title"));
    expect((await labSummaries([file]))[0]).toMatchObject({ ok: true, lab: { title: "Title" } });
    expect(existsSync(join(home, ".cache"))).toBe(false);
  });
});
