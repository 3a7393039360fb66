// The room at the end of a workshop: JSON (the whole room view) and one JUnit XML file per student
// (a test suite per lab, a test case per step: passed, skipped, failing or not reached).
import type { Room, StudentRec } from "./state.js";
import type { RoomView } from "./types.js";
import { roomView } from "./view.js";

export function roomExport(room: Room, now: number): RoomView & { exportedAt: string } {
  return { ...roomView(room, now), exportedAt: new Date(now).toISOString() };
}

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

export function studentJUnit(s: StudentRec): string {
  const suites = [...s.labs.values()].map((lab) => {
    const failures = lab.steps.filter((st) => st.status === "failing").length;
    const skipped = lab.steps.filter((st) => st.status === "skipped" || st.status === "todo" || st.status === "working").length;
    const cases = lab.steps.map((st, i) => {
      const head = `    <testcase classname="${xml(`${s.name}.${lab.id}`)}" name="${xml(`${i + 1}. ${st.title}`)}" time="${((st.ms ?? 0) / 1000).toFixed(3)}"`;
      const body =
        st.status === "done"
          ? ""
          : st.status === "failing"
            ? `<failure message="${xml(`check "${st.lastFail ?? "?"}" failed (${st.fails} failure${st.fails === 1 ? "" : "s"})`)}"/>`
            : `<skipped message="${st.status === "skipped" ? "skipped by the student" : "not finished"}"/>`;
      return body ? `${head}>${body}</testcase>` : `${head}/>`;
    });
    return `  <testsuite name="${xml(lab.id)}" tests="${lab.steps.length}" failures="${failures}" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(s.name)}">\n${suites.join("\n")}\n</testsuites>\n`;
}
