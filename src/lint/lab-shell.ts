// A lab's shell read once for lint: each block's commands, the variables, the lab's own netns and the files and
// program copies it writes. The command sites (sites.ts) are read from it.
import type { Block, Lab, Step } from "../format/types.js";
import { simpleCommands } from "../shell/commands.js";
import type { ShellFacts, SimpleCommand } from "../shell/types.js";
import { commandVariants, ShellEnv, type Field } from "./expand.js";
import { writtenBy, type WrittenFiles } from "./scripts.js";
import { collectCallables, type Callables } from "./calls.js";
import { baseName, noteFiles, NOTES_FILES, type Programs } from "./lab-files.js";
import { learnNetns } from "./own-netns.js";
import type { UnwrapContext } from "./isolation.js";

type BlockInOrder = { block: Block; step: Step | undefined };
const inOrder = new WeakMap<Lab, readonly BlockInOrder[]>();

/**
 * Blocks in the order rootlab meets them: steps in order, then `## Cleanup`. Listed once per lab (a parsed lab is
 * never changed; lint asks for this list in several rules); callers never change the list.
 */
export function blocksInOrder(lab: Lab): readonly BlockInOrder[] {
  let hit = inOrder.get(lab);
  if (!hit) inOrder.set(lab, (hit = listBlocks(lab)));
  return hit;
}

function listBlocks(lab: Lab): BlockInOrder[] {
  return [
    ...lab.steps.flatMap((step) => [...step.blocks, ...step.wrongAttempts.flatMap((w) => (w.undo ? [w, w.undo] : [w]))].map((block) => ({ block, step }))),
    ...lab.cleanup.map((block) => ({ block, step: undefined })),
  ];
}

/** A lab's shell, read once: each block's commands, the variables, the lab's netns and the files it writes. */
export interface LabShell {
  blocks: { block: Block; step: Step | undefined; commands: SimpleCommand[]; facts: ShellFacts }[];
  env: ShellEnv;
  ctx: UnwrapContext;
  files: WrittenFiles;
  variants: Map<SimpleCommand, Field[][]>;
  scripts: Map<string, SimpleCommand[]>;
  /** Scripts already read at a place (line, way in, isolation): per variant they are often the same text. */
  read: Map<string, Set<string>>;
  /** Aliases and functions the lab defines, for reading their calls. */
  callables: Callables;
  /** Copies of and links to programs (`cp /sbin/ip ./x`): `./x` runs ip. */
  programs: Programs;
}

const NOTHING_WRITTEN: ReadonlySet<string> = new Set();

export function readLab(lab: Lab): LabShell {
  const env = new ShellEnv();
  const blocks = blocksInOrder(lab).map(({ block, step }) => {
    const facts: ShellFacts = { loops: [], assignments: [] };
    const commands = simpleCommands(block.code, facts);
    env.learn(commands, facts);
    return { block, step, commands, facts };
  });
  const shell: LabShell = { blocks, env, ctx: { ownNetns: new Set() }, files: new Map(), variants: new Map(), scripts: new Map(), read: new Map(), callables: collectCallables(blocks), programs: new Map() };
  const own = shell.ctx.ownNetns as Set<string>;
  /** Names a lab points at the host's own network namespace (PID 1's, its own shell's): never the lab's. */
  const hostNames = new Set<string>();
  const wordsOf = (c: SimpleCommand) => (variantsOf(shell, c)[0] ?? []).map((f) => f.text);
  const target = (raw: string) => env.expand(raw)[0]?.[0]?.text ?? raw;
  for (const { commands } of blocks) {
    commands.forEach((cmd, index) => {
      const aboutNetns = cmd.raw.some((w) => w.includes("netns"));
      for (const fields of aboutNetns ? variantsOf(shell, cmd) : []) {
        learnNetns(fields.map((f) => f.text), fields.map((f) => f.known), own, hostNames);
      }
      const writes = cmd.redirects.some((r) => r.op.startsWith(">") || r.op === "&>") || cmd.raw.includes("tee");
      // Only a command that writes gets its own set (most write nothing: one shared empty set, never added to).
      let written: ReadonlySet<string> = NOTHING_WRITTEN;
      if (writes) {
        const mine = new Set<string>();
        for (const [file, text] of writtenBy(index, commands, wordsOf, shell.files, target)) {
          if (file.startsWith("/dev/")) continue; // /dev/null keeps nothing
          const append = cmd.redirects.some((r) => r.op === ">>");
          shell.files.set(file, (append ? shell.files.get(file) ?? "" : "") + text);
          mine.add(file);
        }
        written = mine;
      }
      // Only a redirection, a download or a copy notes a file (most commands do neither).
      if (cmd.redirects.length > 0 || NOTES_FILES.test(baseName(variantsOf(shell, cmd)[0]?.[0]?.text ?? ""))) noteFiles(cmd, wordsOf(cmd), written, shell.files, shell.programs, target);
    });
  }
  for (const name of hostNames) own.delete(name);
  return shell;
}

export function variantsOf(shell: LabShell, cmd: SimpleCommand): Field[][] {
  let v = shell.variants.get(cmd);
  if (!v) {
    // Values that differ only where the command does not look (the same words) are one variant.
    const seen = new Set<string>();
    const all = commandVariants(shell.env, cmd.raw);
    v = all.length === 1 ? all : all.filter((fields) => {
      const key = fields.map((f) => f.text).join("\0");
      return seen.has(key) ? false : (seen.add(key), true);
    });
    shell.variants.set(cmd, v);
  }
  return v;
}

/** A script's commands, lexed once per text (a script run from several places, or per variant, is one text). */
export function lexScript(shell: LabShell, code: string): SimpleCommand[] {
  let hit = shell.scripts.get(code);
  if (!hit) {
    const facts: ShellFacts = { loops: [], assignments: [] };
    hit = simpleCommands(code, facts);
    if (facts.loops.length > 0 || facts.assignments.length > 0) shell.env.learn(hit, facts);
    shell.scripts.set(code, hit);
  }
  return hit;
}
