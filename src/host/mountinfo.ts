// Parsing /proc/self/mountinfo (pure). Used by the leak snapshot, lab-dir removal and the machine facts.

export interface MountEntry {
  id: number;
  parentId: number;
  /** The path inside the mounted filesystem that is mounted here ("/" for a whole filesystem; a bind shows its folder). */
  root: string;
  /** Mount point as seen by the reading process, octal escapes (\040 …) decoded. */
  target: string;
  fsType: string;
  source: string;
  /** "shared" | "private" | "slave" | "unbindable" (from the optional fields). */
  propagation: string;
  /** The mount's own options (rw/ro, nosuid, relatime …). */
  options: string;
  superOptions: string;
}

/** Decodes the kernel's octal escapes (space = \040, tab = \011, newline = \012, backslash = \134). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const fields = line.split(" ");
    const dash = fields.indexOf("-", 6);
    if (dash < 0 || fields.length < dash + 3) continue;
    const optional = fields.slice(6, dash);
    let propagation = "private";
    if (optional.some((f) => f.startsWith("shared:"))) propagation = "shared";
    else if (optional.some((f) => f.startsWith("master:"))) propagation = "slave";
    else if (optional.includes("unbindable")) propagation = "unbindable";
    entries.push({
      id: Number(fields[0]),
      parentId: Number(fields[1]),
      root: unescapeMountField(fields[3] ?? ""),
      target: unescapeMountField(fields[4] ?? ""),
      fsType: fields[dash + 1] ?? "",
      source: unescapeMountField(fields[dash + 2] ?? ""),
      propagation,
      options: fields[5] ?? "",
      superOptions: fields[dash + 3] ?? "",
    });
  }
  return entries;
}

/** True when PATH is DIR itself or lies below it (string-wise, both absolute and normalised). */
export function isAtOrBelow(path: string, dir: string): boolean {
  if (dir === "/") return path.startsWith("/");
  return path === dir || path.startsWith(`${dir}/`);
}

/** The mount that holds PATH: the last-mounted entry with the longest target that contains it. */
export function mountContaining(entries: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of entries) {
    if (!isAtOrBelow(path, m.target)) continue;
    if (!best || m.target.length >= best.target.length) best = m;
  }
  return best;
}

/** Mounts at or below DIR, deepest first (later mounts first at the same depth), i.e. the order to unmount them in. */
export function mountsBelow(entries: MountEntry[], dir: string): MountEntry[] {
  const depth = (p: string) => p.split("/").length;
  return entries
    .map((m, order) => ({ m, order }))
    .filter(({ m }) => isAtOrBelow(m.target, dir))
    .sort((a, b) => depth(b.m.target) - depth(a.m.target) || b.order - a.order)
    .map(({ m }) => m);
}
