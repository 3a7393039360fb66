// rootlab new: scaffold labs/NN-<id>.md, a working lab that passes lint and verify --strict, to edit from.
import { relative, resolve } from "node:path";
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";
import { labsDir } from "../../format/load.js";
import { createLab } from "../../authoring/new-lab.js";

const HELP = `Usage: rootlab new <id> [options]

Creates <dir>/NN-<id>.md (NN = the next free number): a small, working lab — a network namespace named
rl-<id> — with author comments showing every feature: front matter, steps with prose, commands, expected
output, named checks, a hint ladder, explanations, sessions, cleanup and a closing "What you learned" step.
It passes \`rootlab lint\` and \`rootlab verify --strict\` as is; edit it into your lab from there.
Never overwrites a file.

Options:
  --dir <dir>       Folder to create the lab in (default: the labs folder, $ROOTLAB_LABS or rootlab's labs/)
  --title <text>    The lab's title (default: from the id)
  -h, --help        Show this help

The id: lowercase letters, digits and single dashes, starting with a letter (e.g. netns-basics).

Then:
  rootlab lint labs/NN-<id>.md
  sudo rootlab verify --strict <id>
  sudo rootlab watch <id>          re-lint and re-verify on every save
Guide: docs/authoring.md`;

const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
};

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
    if (positionals.length !== 1) throw new UsageError(`give exactly one lab id, e.g. \`rootlab new netns-basics\` (got ${positionals.length}).`);
    const dir = values.dir === undefined ? labsDir() : resolve(String(values.dir));
    const created = await createLab({ id: positionals[0] as string, dir, ...(values.title !== undefined ? { title: String(values.title) } : {}) });
    const file = shown(created.file);
    // A lab outside the labs folder is found by path, not by id.
    const target = resolve(dir) === resolve(labsDir()) ? created.id : file;
    process.stdout.write(
      [
        `Created ${file}: "${created.title}", a working lab to start from.`,
        "",
        "Next:",
        `  rootlab lint ${file}`,
        `  sudo rootlab verify --strict ${target}`,
        `  sudo rootlab watch ${target}        re-lint and re-verify on every save`,
        "",
        "How to write a good lab: docs/authoring.md",
        "",
      ].join("\n"),
    );
    return 0;
  },
};
