// Which lines of what a step's commands printed stay in the recap when it has fewer rows than they need
// (./output-recap.ts). Labels and the lines the learner typed ("$ …") always stay, so no output is ever read as
// another command's. Of the output, the lines the explanation refers to come first (those it quotes before those
// that only name something the learner typed), then each command's first two lines (a header and its first row:
// `ps`'s PID 1), its last line (a result), then more from both ends, the step's own commands before the others
// (a habitual `ls`). When the commands' own rows leave no room for a line the explanation refers to, commands
// whose output is all left out, one after the other, share one row ("$ cat …; sh …; ls …"): the rows go to what
// the explanation talks about. Every place where lines were left out says so, right there, with how many: on a
// line of its own, or after the command (or the commands sharing a row) when all of its output was left out. A
// line is kept or left out whole (all its rows). Pure.

/** One line of the recap, as the rows it takes on the terminal. */
export interface RecapLine {
  rows: string[];
  /** A label ("Command 1/2 printed:") or a command the learner typed ("$ …"): always kept. */
  kind: "label" | "command" | "output";
  /**
   * How much the explanation refers to it (0: not at all; higher first): a code span or number it quotes, more when
   * what it quotes is not in the commands typed (output, not a name the learner typed).
   */
  wanted: number;
  /** Which command's output it is (numbers differ between commands, and between labels' sections). */
  run: number;
  /** That command is one of the step's own (not a habitual `ls` typed after it): its output goes first. */
  stepRun: boolean;
  /** A command's program(s), for a row shared with other commands ("cat …", "mkdir …; echo …"). */
  programs?: string[];
  /** Commands sharing one row: a single output line is never put beside them (whose would it be?). */
  shared?: boolean;
}

/**
 * How a stretch of N lines left out is marked: on a row of its own, or ALONE after a command's row. QUOTED: how
 * many of the N the explanation refers to (said where it fits: the learner then knows to look for them).
 */
export interface Markers {
  row(n: number, quoted?: number): string;
  after(command: string, n: number, quoted?: number): string | undefined;
  /**
   * N lines left out right after LABEL ("Command 2/6 printed:"), before lines kept: said on the label's row when
   * it fits there, so the rows go to what the explanation talks about.
   */
  lead?(label: string, n: number, quoted?: number): string | undefined;
  /** A command's only output line, on the command's own row when it fits there (`$ readlink /proc/self  → 5722`). */
  inline?(command: string, output: string): string | undefined;
  /** The rows of commands sharing a row ("$ cat …; sh …"), given their programs; without it, none share. */
  shared?(programs: string[]): string[];
}

/**
 * LINES with those of KEPT shown and each stretch left out marked (rows of the terminal). TALLY.quoted adds up the
 * lines the explanation refers to that are not on the screen (one put beside its command is).
 */
function render(lines: readonly RecapLine[], kept: ReadonlySet<number>, markers: Markers, tally = { quoted: 0 }): string[] {
  const out: string[] = [];
  let left = 0;
  /** Of the LEFT lines left out, those the explanation refers to (the marker says how many). */
  let quoted = 0;
  let lastLeft = -1;
  let lastKept = -1;
  const flush = (next: RecapLine | undefined) => {
    if (left === 0) return;
    const after = lines[lastKept]?.kind;
    const wholeOutput = (after === "command" || after === "label") && (next === undefined || next.kind !== "output");
    // A command's only line of output, one row: beside the command costs no row, and says more than a marker
    // (the counts and PIDs an explanation talks about are often such one-line results).
    const only = wholeOutput && left === 1 && !lines[lastKept]!.shared ? lines[lastLeft] : undefined;
    const inline = only?.rows.length === 1 ? markers.inline?.(out.at(-1)!, only.rows[0]!) : undefined;
    // A whole command's output left out: said after the command when it fits there.
    const leading = after === "label" && !wholeOutput && lastLeft > lastKept ? markers.lead?.(out.at(-1)!, left, quoted) : undefined;
    const command = inline ?? leading ?? (wholeOutput ? markers.after(out.at(-1)!, left, quoted) : undefined);
    if (command !== undefined) out[out.length - 1] = command;
    else out.push(markers.row(left, quoted));
    tally.quoted += inline !== undefined ? 0 : quoted;
    left = 0;
    quoted = 0;
  };
  lines.forEach((line, i) => {
    if (!kept.has(i)) {
      lastLeft = i;
      if (line.wanted > 0 && line.kind === "output") quoted++;
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
    // A stable sort: of lines referred to as much, the first typed first.
    ...lines.flatMap((line, i) => (line.wanted > 0 && line.kind === "output" ? [i] : [])).sort((a, b) => lines[b]!.wanted - lines[a]!.wanted),
    ...ordered.flatMap((run) => run.slice(0, 2)),
    ...ordered.map((run) => run.at(-1)!),
    ...roundRobin(ordered.filter((run) => lines[run[0]!]!.stepRun)),
    ...roundRobin(ordered.filter((run) => !lines[run[0]!]!.stepRun)),
  ];
}

/**
 * LINES and KEPT with each stretch of two or more commands whose output is all left out (nothing else between
 * them) made one command line, its rows MARKERS.shared's, followed by their output (all of it left out, so the
 * row ends with how many lines that is).
 */
function shareRows(lines: readonly RecapLine[], kept: ReadonlySet<number>, shared: (programs: string[]) => string[]) {
  const out: RecapLine[] = [];
  const outKept = new Set<number>();
  let quiet: number[] = [];
  const push = (i: number) => {
    if (kept.has(i)) outKept.add(out.length);
    out.push(lines[i]!);
  };
  const flush = () => {
    const commands = quiet.filter((i) => lines[i]!.kind === "command");
    if (commands.length >= 2) {
      const first = lines[commands[0]!]!;
      outKept.add(out.length);
      out.push({ ...first, rows: shared(commands.flatMap((i) => lines[i]!.programs ?? [])), shared: true });
      for (const i of quiet) if (lines[i]!.kind === "output") out.push(lines[i]!);
    } else quiet.forEach(push);
    quiet = [];
  };
  for (let i = 0; i < lines.length; ) {
    let end = i + 1;
    while (end < lines.length && lines[end]!.kind === "output") end++;
    const output = Array.from({ length: end - i - 1 }, (_, k) => i + 1 + k);
    // A quiet command joins the stretch with its output; anything else (a label, a command with a part of its
    // output kept) ends it.
    if (lines[i]!.kind === "command" && lines[i]!.programs && output.every((j) => !kept.has(j))) quiet.push(i, ...output);
    else {
      flush();
      push(i);
      output.forEach(push);
    }
    i = end;
  }
  flush();
  return { lines: out, kept: outKept };
}

/** LINES as rows, those of KEPT shown; with SHARE, quiet commands one after the other share a row. */
function rowsOf(lines: readonly RecapLine[], kept: ReadonlySet<number>, markers: Markers, share: boolean, tally = { quoted: 0 }): string[] {
  if (!share || !markers.shared) return render(lines, kept, markers, tally);
  const folded = shareRows(lines, kept, markers.shared);
  return render(folded.lines, folded.kept, markers, tally);
}

/** KEPT (labels and commands) with output lines added in the order above while the rows stay within ROOM. */
function fill(lines: readonly RecapLine[], room: number, markers: Markers, share: boolean): Set<number> {
  const kept = new Set(lines.flatMap((line, i) => (line.kind === "output" ? [] : [i])));
  let rows = rowsOf(lines, kept, markers, share).length;
  for (const i of priority(lines)) {
    if (kept.has(i)) continue;
    kept.add(i);
    const now = rowsOf(lines, kept, markers, share).length;
    // A line that takes no more rows than its marker did is always shown.
    if (now > Math.max(room, rows)) kept.delete(i);
    else rows = now;
  }
  return kept;
}

/**
 * LINES as at most ROOM rows (more only when the labels and the commands typed alone need more): every label and
 * command line, and as many output lines as fit in the order above, each stretch left out marked by MARKERS.
 * Commands share rows only when that gets more of what the explanation refers to on the screen.
 */
export function cutRecap(lines: readonly RecapLine[], room: number, markers: Markers): string[] {
  return cutRecapCounted(lines, room, markers).rows;
}

/**
 * cutRecap, and how many of the lines the explanation refers to were left out (the recap's heading says so);
 * HIDDENRUNS: how many commands that printed something have none of it shown.
 */
export function cutRecapCounted(lines: readonly RecapLine[], room: number, markers: Markers): { rows: string[]; quotedLeft: number; hiddenRuns: number } {
  const referred = (kept: ReadonlySet<number>) => lines.reduce((n, line, i) => n + (kept.has(i) && line.kind === "output" ? line.wanted : 0), 0);
  const hidden = (kept: ReadonlySet<number>) => {
    const runs = new Set(lines.filter((line) => line.kind === "output").map((line) => line.run));
    lines.forEach((line, i) => kept.has(i) && line.kind === "output" && runs.delete(line.run));
    return runs.size;
  };
  const told = (kept: ReadonlySet<number>, share: boolean) => {
    const tally = { quoted: 0 };
    return { rows: rowsOf(lines, kept, markers, share, tally), quotedLeft: tally.quoted, hiddenRuns: hidden(kept) };
  };
  const own = fill(lines, room, markers, false);
  const all = referred(new Set(lines.keys()));
  if (referred(own) === all || !markers.shared) return told(own, false);
  const shared = fill(lines, room, markers, true);
  if (referred(shared) <= referred(own)) return told(own, false);
  // Rows of their own again when the output kept fits with them after all.
  const apart = told(shared, false);
  return apart.rows.length <= room ? apart : told(shared, true);
}
