// The student's path through the labs lives in one place: the order of the lab files in their folder (the NN-
// prefix of `NN-id.md`). `rootlab list`, the menu and `verify --all` read it; README's lab table and each lab's
// closing "Next:" are prose, so lint checks the "Next:" links against it (a unit test checks the README).
import type { Diagnostic } from "../format/types.js";

/** One lab of a folder, in path order. */
export interface PathLab {
  file: string;
  id: string;
  source: string;
}

export const NEXT_LINK_CODE = "lab/next-link";
export const NEXT_LINK_DESCRIPTION = "a lab's closing `Next:` does not name the lab that follows it in the folder's file order";

/** The last `Next:` paragraph's line and the lab ids it names in backticks, in order. Pure. */
export function nextLink(source: string): { line: number; ids: string[] } | undefined {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const at = lines.findLastIndex((l) => /^Next:/.test(l));
  if (at === -1) return undefined;
  const paragraph: string[] = [];
  for (let i = at; i < lines.length && lines[i]!.trim() !== ""; i++) paragraph.push(lines[i]!);
  const ids = [...paragraph.join(" ").matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
  return { line: at + 1, ids };
}

/**
 * Each lab but the last must end with a `Next:` whose first backticked lab id is the lab after it. Labs that
 * are not from one folder (single files on the command line) have no path: pass only a whole folder's labs.
 */
export function nextLinkDiagnostics(labs: PathLab[]): Diagnostic[] {
  const known = new Set(labs.map((l) => l.id));
  const out: Diagnostic[] = [];
  labs.forEach((lab, i) => {
    const following = labs[i + 1];
    if (!following) return; // the finale: nothing follows it
    const link = nextLink(lab.source);
    const named = link?.ids.find((id) => known.has(id));
    if (named === following.id) return;
    out.push({
      file: lab.file,
      line: link?.line ?? lab.source.split("\n").length,
      column: 1,
      severity: "warning",
      code: NEXT_LINK_CODE,
      message: link
        ? `"Next:" names ${named ? `\`${named}\`` : "no lab of this folder"}, but the lab after "${lab.id}" in the folder's order is "${following.id}"`
        : `the lab ends without a "Next:" line; the lab after "${lab.id}" in the folder's order is "${following.id}"`,
      expected: "the closing step's last paragraph starting `Next:` and naming the next lab by id; the file names (NN-id.md) order the path",
      example: `Next: **\`${following.id}\`** — what it adds to this lab.`,
    });
  });
  return out;
}
