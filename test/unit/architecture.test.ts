// The layering the brief asks for, checked on the real source: nothing below src/cli imports from it, src/core
// imports no other folder, and the folders' import graph has no cycle.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** folder → folders it imports from (relative imports only). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split("/")[0]!;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const m of readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*["'](\.[^"']+)["']/g)) {
      const to = relative(SRC, normalize(join(dirname(file), m[1]!))).split("/")[0]!;
      if (to !== from && !to.startsWith("..") && !to.endsWith(".js")) graph.get(from)!.add(to);
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done") return undefined;
    if (state.get(n) === "open") return [...path.slice(path.indexOf(n)), n];
    state.set(n, "open");
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe("architecture", () => {
  const graph = folderGraph();

  it("finds the folders (the check reads real source)", () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(["cli", "core", "exec", "format", "lint"]));
    expect(graph.get("cli")?.size).toBeGreaterThan(3);
  });

  it("nothing below src/cli imports from it", () => {
    const offenders = [...graph].filter(([from, to]) => from !== "cli" && to.has("cli")).map(([from]) => from);
    expect(offenders).toEqual([]);
  });

  it("src/core is the bottom layer", () => {
    expect([...(graph.get("core") ?? [])]).toEqual([]);
  });

  it("the folders' imports form no cycle", () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it("the cycle finder finds a cycle (so the check above can fail)", () => {
    const g = new Map([["a", new Set(["b"])], ["b", new Set(["c"])], ["c", new Set(["a"])]]);
    expect(findCycle(g)).toEqual(["a", "b", "c", "a"]);
  });
});
