// rootlab new: scaffold <dir>/NN-<id>.md, a working lab that passes lint and verify --strict, to edit from.
import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "../command.js";
import { fitHelp } from "../../term/help-wrap.js";
import { UsageError } from "../../core/errors.js";
import { rootlabCommand } from "../../core/rootlab-command.js";
import { rootlabAsRoot } from "../../host/paths.js";
import { createLab, defaultNewLabsDir } from "../../authoring/new-lab.js";

const HELP = `Usage: rootlab new <id> [options]

Creates <dir>/NN-<id>.md (NN = the next free number): a small, working lab — a network namespace named
rl-<id> — with author comments showing every feature: front matter, steps with prose, commands, expected
output, named checks, a hint ladder, explanations, sessions, cleanup and a closing "What you learned" step.
It passes \`rootlab lint\` and \`rootlab verify --strict\` as is; edit it into your lab from there.
Never overwrites a file. Needs no root.

Options:
  --dir <dir>       Folder to create the lab in, created if missing
                    (default: $ROOTLAB_LABS if set, else ./labs in the current directory)
  --title <text>    The lab's title (default: from the id)
  -h, --help        Show this help

The id: lowercase letters, digits and single dashes, starting with a letter (e.g. netns-basics).

Examples:
  rootlab new netns-basics
  rootlab new netns-basics --dir ~/my-labs --title "Network namespaces, the basics"

Then (rootlab prints these with the real file name):
  rootlab lint labs/NN-<id>.md
  sudo rootlab verify --strict labs/NN-<id>.md
  sudo rootlab watch labs/NN-<id>.md      re-lint and re-verify on every save
Guide: docs/authoring.md (installed with rootlab; rootlab new prints where)`;

/** A path the user can paste from here: relative when it is under the current directory, else absolute. */
function fromCwd(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** The authoring guide in the installed package (docs/ is shipped next to dist/ and src/). */
function authoringGuide(): string {
  const path = fileURLToPath(new URL("../../../docs/authoring.md", import.meta.url));
  return existsSync(path) ? path : "docs/authoring.md in the rootlab repository";
}

export const command: Command = {
  name: "new",
  summary: "Scaffold a new lab that passes lint and verify",
  help: HELP,
  allowPositionals: true,
  options: {
    dir: { type: "string" },
    title: { type: "string" },
  },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`give exactly one lab id, e.g. \`${rootlabCommand()} new netns-basics\` (got ${positionals.length}).`);
    const dir = values.dir === undefined ? defaultNewLabsDir() : resolve(String(values.dir));
    const created = await createLab({ id: positionals[0] as string, dir, ...(values.title !== undefined ? { title: String(values.title) } : {}) });
    // By path, not by id: sudo drops $ROOTLAB_LABS, and the folder may not be the one ids are looked up in.
    const file = fromCwd(created.file);
    const text = [
      `Created ${created.file}: "${created.title}", a working lab to start from.`,
      "",
      "Next:",
      // Named the way the author ran rootlab (`node bin/rootlab.js`, `npx rootlab`), so the lines can be pasted;
      // each on a line of its own (what watch does is said after them).
      `  ${rootlabCommand()} lint ${file}`,
      `  ${rootlabAsRoot()} verify --strict ${file}`,
      `  ${rootlabAsRoot()} watch ${file}`,
      "(watch re-lints and re-verifies the lab every time you save it)",
      "",
      `How to write a good lab: ${authoringGuide()}`,
    ].join("\n");
    // On a terminal, fitted to it: prose wraps at words, a command the shell's way (a terminal cut "f / rom").
    process.stdout.write(`${process.stdout.isTTY ? fitHelp(text, process.stdout.columns || 80) : text}\n`);
    return 0;
  },
};
