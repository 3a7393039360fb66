// Reading on GitHub: the fence info string (role, session=, exit=, background) is invisible there, so a lab
// says it in a visible label line before the block, folds what a reader must not run or see at once
// (<details>), and writes every fence one way. All warnings: format-1 labs keep working; see
// docs/lab-format.md#reading-on-github.
import type { Block, Lab } from "../../format/types.js";
import { DEFAULT_SESSION } from "../../format/types.js";
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { blocksInOrder } from "../lab-shell.js";

const blocksOf = new WeakMap<Lab, Block[]>();
/** The lab's blocks in order, listed once per lab for the six rules below (they never change the list). */
const allBlocks = (lab: Lab): Block[] => {
  let hit = blocksOf.get(lab);
  if (!hit) blocksOf.set(lab, (hit = blocksInOrder(lab).map((b) => b.block)));
  return hit;
};
/** What a reader sees of a block besides its code: its label line and the summary it is folded under. */
const visible = (b: Block) => `${b.label ?? ""} ${b.fold?.summary ?? ""}`;
const folded = (b: { fold?: { open: boolean } }) => b.fold !== undefined && !b.fold.open;

function rule(code: string, description: string, find: (lab: Lab) => Problem[]): LintRule {
  return { code, severity: "warning", description, check: ({ lab }) => find(lab) };
}

export const presentCheckLabel = rule("present/check-label", "a check has no visible `**Check:**` label line before it, so on GitHub it looks like a command", (lab) =>
  allBlocks(lab)
    .filter((b) => b.role === "verify" && !/^\*\*Check\b/i.test(b.label ?? ""))
    .map((b) => ({ line: b.line, code: "present/check-label", message: "this check has no `**Check:**` label: a reader on GitHub takes it for a command", expected: "a line `**Check:**` (optionally followed by text) right before the ```sh verify fence", example: "**Check:**\n\n```sh verify\n# rl-red exists\ntest -e /run/netns/rl-red\n```" })),
);

export const presentSessionLabel = rule("present/session-label", "a block that runs in (or starts) a session other than the host has no visible label naming it", (lab) =>
  allBlocks(lab).flatMap((b) => {
    if (b.role === "wrong" || b.role === "undo") return [];
    const name = b.enter ?? (b.session !== DEFAULT_SESSION ? b.session : undefined);
    if (name === undefined || visible(b).includes(`\`${name}\``)) return [];
    const what = b.enter ? `starts the session \`${name}\`` : `runs in the session \`${name}\``;
    return [{ line: b.line, code: "present/session-label", message: `this block ${what}, which GitHub does not show`, expected: `a label line before the fence that names \`${name}\` in backticks`, example: b.enter ? `**Starts the shell \`${name}\`:**` : `**In the \`${name}\` shell:**` }];
  }),
);

export const presentExitLabel = rule("present/exit-label", "a block expected to fail (`exit=N`) or to run in the background has no visible label saying so", (lab) =>
  allBlocks(lab).flatMap((b) => {
    if (b.role === "wrong" || b.role === "undo") return [];
    const problems: Problem[] = [];
    if (b.exit !== 0 && !new RegExp(`\\b${b.exit}\\b`).test(visible(b))) problems.push({ line: b.line, code: "present/exit-label", message: `this block must end with status ${b.exit} (exit=${b.exit}), which GitHub does not show`, expected: `a label line before the fence that gives the status ${b.exit}`, example: `**Fails on purpose (exit ${b.exit}):**` });
    if (b.background && !/background/i.test(visible(b))) problems.push({ line: b.line, code: "present/exit-label", message: "this block runs in the background, which GitHub does not show", expected: "a label line before the fence that says it runs in the background", example: "**Runs in the background:**" });
    return problems;
  }),
);

export const presentSetupLabel = rule("present/setup-label", "a setup block has no visible `**Setup:**` label", (lab) =>
  allBlocks(lab)
    .filter((b) => b.role === "setup" && !/^\*\*Setup\b/i.test(b.label ?? ""))
    .map((b) => ({ line: b.line, code: "present/setup-label", message: "this setup block has no `**Setup:**` label: a reader does not know rootlab runs it for them", expected: "a line `**Setup:**` right before the ```sh setup fence", example: "**Setup:**\n\n```sh setup\nmkdir -p \"$LAB_DIR/tree\"\n```" })),
);

export const presentFolded = rule("present/folded", "a hint, solution, step cleanup or wrong attempt is not folded in a closed `<details>`", (lab) => {
  const problems: Problem[] = [];
  const why: Partial<Record<Block["role"], string>> = {
    solution: "a solution is the answer: fold it so a reader tries first",
    cleanup: "a reader copying top to bottom would tear down what they just built",
    wrong: "a wrong attempt is for `rootlab verify --strict`, never for a reader to run",
    undo: "an undo belongs to a wrong attempt, never for a reader to run",
  };
  for (const step of lab.steps) {
    for (const h of step.hints) {
      if (!folded(h)) problems.push({ line: h.line, code: "present/folded", message: "this hint is visible at once on GitHub: fold it, so a reader gets the nudge before the answer", expected: "the `> [!TIP]` inside `<details><summary>Hint</summary>` … `</details>` (blank lines around the quote)", example: "<details><summary>Hint 1</summary>\n\n> [!TIP]\n> Try `ip netns help`.\n\n</details>" });
    }
    for (const b of [...step.blocks, ...step.wrongAttempts.flatMap((w) => (w.undo ? [w, w.undo] : [w]))]) {
      const reason = why[b.role];
      if (reason && !folded(b)) problems.push({ line: b.line, code: "present/folded", message: `this ${b.role} block is not folded: ${reason}`, expected: "the block inside `<details><summary>…</summary>` … `</details>` (blank lines around the fence), or a cleanup in `## Cleanup`", example: `<details><summary>Cleanup (rootlab runs it when the lab ends)</summary>\n\n\`\`\`sh cleanup\nip netns del rl-red 2>/dev/null || true\n\`\`\`\n\n</details>` });
    }
  }
  return problems;
});

export const presentExpectRegex = rule("present/expect-regex", "expected output with `(re)` patterns has no label explaining them", (lab) =>
  allBlocks(lab).flatMap((b) => {
    const spec = b.expect;
    if (!spec || !spec.lines.some((l) => l.endsWith(" (re)")) || (spec.label ?? "").includes("(re)")) return [];
    return [{ line: spec.line, code: "present/expect-regex", message: "this expected output shows raw regular expressions: a reader on GitHub takes them for output", expected: "a label line before the ```text expect fence that says lines ending in `(re)` are patterns", example: "**Expected output** (a line ending in `(re)` is a pattern, `...` any lines):" }];
  }),
);

export const presentFenceStyle = rule("present/fence-style", "a fence is written without its language (```verify instead of ```sh verify, ```expect instead of ```text expect)", (lab) =>
  allBlocks(lab).flatMap((b) => {
    const problems: Problem[] = [];
    if (b.lang === "") problems.push({ line: b.line, code: "present/fence-style", message: `\`\`\`${b.role} has no language: GitHub shows it unhighlighted, unlike the other blocks`, expected: `\`\`\`sh ${b.role}`, example: `\`\`\`sh ${b.role}` });
    if (b.expect && (b.expect.lang ?? "text") !== "text") problems.push({ line: b.expect.line, code: "present/fence-style", message: "expected output is written as ```text expect in every lab", expected: "```text expect", example: "```text expect" });
    return problems;
  }),
);
