// Which lines of what a step's commands printed stay in the recap when it has fewer rows than they need
// (./output-recap.ts). Labels and the lines the learner typed ("$ …") always stay, so no output is ever read as
// another command's. Of the output, the lines the explanation refers to come first, then each command's first two
// lines (a header and its first row: `ps`'s PID 1), its last line (a result), then more from both ends, the step's
// own commands before the others (a habitual `ls`). Every
// place where lines were left out says so, right there, with how many: on a line of its own, or after the command
// itself when all of its output was left out. A line is kept or left out whole (all its rows). Pure.

/** One line of the recap, as the rows it takes on the terminal. */
export interface RecapLine {
  rows: string[];
  /** A label ("Command 1/2 printed:") or a command the learner typed ("$ …"): always kept. */
  kind: "label" | "command" | "output";
  /** The explanation refers to it (a code span, a number it quotes). */
  wanted: boolean;
  /** Which command's output it is (numbers differ between commands, and between labels' sections). */
  run: number;
  /** That command is one of the step's own (not a habitual `ls` typed after it): its output goes first. */
  stepRun: boolean;
}

/** How a stretch of N lines left out is marked: on a row of its own, or ALONE after a command's row. */
export interface Markers {
  row(n: number): string;
  after(command: string, n: number): string | undefined;
  /** A command's only output line, on the command's own row when it fits there (`$ readlink /proc/self  → 5722`). */
  inline?(command: string, output: string): string | undefined;
}

/** LINES with those of KEPT shown and each stretch left out marked (rows of the terminal). */
function render(lines: readonly RecapLine[], kept: ReadonlySet<number>, markers: Markers): string[] {
  const out: string[] = [];
  let left = 0;
  let lastLeft = -1;
  let lastKept = -1;
  const flush = (next: RecapLine | undefined) => {
    if (left === 0) return;
    const wholeOutput = lines[lastKept]?.kind === "command" && (next === undefined || next.kind !== "output");
    // A command's only line of output, one row: beside the command costs no row, and says more than a marker
    // (the counts and PIDs an explanation talks about are often such one-line results).
    const only = wholeOutput && left === 1 ? lines[lastLeft] : undefined;
    const inline = only?.rows.length === 1 ? markers.inline?.(out.at(-1)!, only.rows[0]!) : undefined;
    // A whole command's output left out: said after the command when it fits there.
    const command = inline ?? (wholeOutput ? markers.after(out.at(-1)!, left) : undefined);
    if (command !== undefined) out[out.length - 1] = command;
    else out.push(markers.row(left));
    left = 0;
  };
  lines.forEach((line, i) => {
    if (!kept.has(i)) {
      lastLeft = i;
      return void left++;
    }
    flush(line);
    out.push(...line.rows);
    lastKept = i;
  });
  flush(undefined);
  return out;
}

/** Indexes of one command's output in the order they are given room: its end, its start, then inwards. */
function fromBothEnds(indexes: readonly number[]): number[] {
  const out: number[] = [];
  for (let lo = 0, hi = indexes.length - 1; lo <= hi; ) {
    out.push(indexes[hi--]!);
    if (lo <= hi) out.push(indexes[lo++]!);
  }
  return out;
}

/** The order in which output lines get room: wanted ones, each command's start, its result, then the rest. */
function priority(lines: readonly RecapLine[]): number[] {
  const runs = new Map<number, number[]>();
  lines.forEach((line, i) => {
    if (line.kind === "output") runs.set(line.run, [...(runs.get(line.run) ?? []), i]);
  });
  // The step's own commands first (a stable sort keeps the order typed).
  const ordered = [...runs.values()].sort((a, b) => Number(lines[b[0]!]!.stepRun) - Number(lines[a[0]!]!.stepRun));
  const roundRobin = (groups: number[][]) => {
    const orders = groups.map(fromBothEnds);
    const longest = Math.max(0, ...orders.map((o) => o.length));
    return Array.from({ length: longest }, (_, k) => orders.flatMap((o) => (k < o.length ? [o[k]!] : []))).flat();
  };
  return [
    ...lines.flatMap((line, i) => (line.wanted && line.kind === "output" ? [i] : [])),
    ...ordered.flatMap((run) => run.slice(0, 2)),
    ...ordered.map((run) => run.at(-1)!),
    ...roundRobin(ordered.filter((run) => lines[run[0]!]!.stepRun)),
    ...roundRobin(ordered.filter((run) => !lines[run[0]!]!.stepRun)),
  ];
}

/**
 * LINES as at most ROOM rows (more only when the labels and the commands typed alone need more): every label and
 * command line, and as many output lines as fit in the order above, each stretch left out marked by MARKERS.
 */
export function cutRecap(lines: readonly RecapLine[], room: number, markers: Markers): string[] {
  const kept = new Set(lines.flatMap((line, i) => (line.kind === "output" ? [] : [i])));
  let rows = render(lines, kept, markers).length;
  for (const i of priority(lines)) {
    if (kept.has(i)) continue;
    kept.add(i);
    const now = render(lines, kept, markers).length;
    // A line that takes no more rows than its marker did is always shown.
    if (now > Math.max(room, rows)) kept.delete(i);
    else rows = now;
  }
  return render(lines, kept, markers);
}
