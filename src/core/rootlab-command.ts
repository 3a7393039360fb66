// How the person started rootlab, so that messages name it back the way they can paste it. In core because every
// layer writes such messages (the lab loader's "did you mean", preflight's fixes, the CLI's next steps).
import { basename, delimiter, dirname, isAbsolute, relative, resolve } from "node:path";

/**
 * How the person started rootlab, to name it back in messages they can paste: "rootlab" when it is on the
 * PATH, "npx rootlab" under npx (npm exec), "node bin/rootlab.js" (relative to the current folder when under
 * it) when node ran the script by path. Not prefixed with sudo.
 */
export function rootlabCommand(argv1 = process.argv[1] ?? "", env: Record<string, string | undefined> = process.env): string {
  if (env.npm_command === "exec") return "npx rootlab";
  const script = basename(argv1);
  if (script === "rootlab") {
    const dir = dirname(resolve(argv1));
    const onPath = (env.PATH ?? "").split(delimiter).some((p) => p !== "" && resolve(p) === dir);
    return onPath ? "rootlab" : shownPath(argv1);
  }
  if (script === "rootlab.js") return `node ${shownPath(argv1)}`;
  return "rootlab";
}

/**
 * How a student runs rootlab in a room's instructions: as root (`sudo`: students run labs from their own shell in
 * the lab VM), named as the instructor ran it, so the join page says what the instructor's terminal says.
 */
export function studentRootlab(argv1 = process.argv[1] ?? "", env: Record<string, string | undefined> = process.env): string {
  return `sudo ${rootlabCommand(argv1, env)}`;
}

function shownPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? (rel.includes("/") ? rel : `./${rel}`) : resolve(file);
}

