// The instructor's dashboard. Every student-provided string reaches the page through textContent, never as
// HTML. The instructor token comes from the address's #fragment (never sent to the server in a URL) and goes
// in an Authorization header; the live feed is read with fetch, since EventSource cannot send that header.
import { readFeed } from "./feed-reader.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.hash.slice(1));
const token = params.get("token") ?? sessionStorage.getItem("rootlab-room-token") ?? "";
sessionStorage.setItem("rootlab-room-token", token);
const auth = { authorization: `Bearer ${token}` };

const room = { title: "", students: new Map(), checks: [], hands: [], gate: {}, events: 0 };
let skew = 0; // server clock − browser clock
let chosenLab = "";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

const clock = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/** The lab shown: the instructor's choice, else the one most students are in. */
function currentLab() {
  const counts = new Map();
  for (const s of room.students.values()) for (const l of s.labs) counts.set(l.id, (counts.get(l.id) ?? 0) + (s.currentLab === l.id ? 2 : 1));
  if (chosenLab && counts.has(chosenLab)) return chosenLab;
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

function stepTitles(labId) {
  let best = [];
  for (const s of room.students.values()) {
    const l = s.labs.find((x) => x.id === labId);
    if (l && l.steps.length > best.length) best = l.steps.map((st) => st.title);
  }
  return best;
}

function cell(st, index) {
  const td = el("td", { "data-step": index, "data-status": st?.status ?? "todo" });
  if (!st || st.status === "todo") td.textContent = "·";
  // No time: done by `verify` or in an earlier run (re-created on resume).
  else if (st.status === "done") td.textContent = st.ms === undefined ? "✓" : `✓ ${clock(st.ms)}`;
  else if (st.status === "skipped") td.textContent = "↷";
  else if (st.status === "failing") td.textContent = `✗ ${st.fails}`;
  else td.textContent = `▶ ${st.startedAt ? clock(Date.now() + skew - st.startedAt) : ""}`;
  if (st?.hints) td.title = `${st.hints} hint(s)${st.solution ? ", saw the solution" : ""}`;
  return td;
}

function renderGrid(labId) {
  const titles = stepTitles(labId);
  const head = el("tr", {}, el("th", { class: "name" }, "student"), ...titles.map((t, i) => el("th", { title: t }, `${i + 1}`)), el("th", {}, "done"));
  $("grid").tHead.replaceChildren(head);
  // Stuck students first: they are who the instructor walks over to.
  const stuck = (s) => (s.labs.find((l) => l.id === labId)?.stuck ? 0 : 1);
  const rows = [...room.students.values()]
    .sort((a, b) => stuck(a) - stuck(b) || a.name.localeCompare(b.name))
    .map((s) => {
      const lab = s.labs.find((l) => l.id === labId);
      // The whole name on hover too; the reason is cut at two lines (the check is named in full below the grid).
      const name = el("td", { class: "name", title: s.name }, s.name);
      if (lab?.stuck) name.append(el("span", { class: "why", title: `stuck: ${lab.stuckWhy ?? ""}` }, `stuck: ${lab.stuckWhy ?? ""}`));
      const tr = el("tr", { "data-student": s.id, class: lab?.stuck ? "stuck" : "" }, name, ...titles.map((_t, i) => cell(lab?.steps[i], i)));
      tr.append(el("td", { class: "count" }, lab ? `${lab.stepsDone}/${lab.stepsTotal}${lab.finished ? ` ${lab.finished}` : ""}` : "—"));
      return tr;
    });
  $("grid").tBodies[0].replaceChildren(...rows);
}

function renderChecks(labId) {
  const items = room.checks
    .filter((c) => c.lab === labId && c.failing > 0)
    .map((c) => el("li", { "data-check": c.check }, `${c.failing} of ${c.of} fail `, el("em", {}, c.check), ` (step ${c.step + 1})`));
  $("checks").replaceChildren(...(items.length ? items : [el("li", {}, "none failing")]));
}

/** A hand is answered once its student passed (or skipped) that step since: evidence, not a button to forget. */
function handAnswered(h) {
  const status = room.students.get(h.student)?.labs.find((l) => l.id === h.lab)?.steps[h.step]?.status;
  return status === "done" || status === "skipped";
}

function renderHands() {
  const items = [...room.hands].reverse().map((h) => {
    const answered = handAnswered(h);
    const li = el("li", { "data-student": h.student, class: answered ? "answered" : "open" }, el("strong", {}, h.name), ` — ${h.lab}, step ${h.step + 1}, ${new Date(h.at).toLocaleTimeString()}${answered ? " — step passed since" : ""}`);
    if (h.check) li.append(el("div", {}, "failing check: ", el("em", {}, h.check)));
    if (h.detail) li.append(el("pre", {}, h.detail));
    if (h.commands.length) li.append(el("pre", { class: "commands" }, h.commands.join("\n")));
    return li;
  });
  $("hands").replaceChildren(...(items.length ? items : [el("li", { class: "none" }, "none raised")]));
}

/** In the header, always in sight: how many hands are up and who is stuck, linking to where they are. */
function renderAlerts(labId) {
  const stuck = [...room.students.values()].filter((s) => s.labs.find((l) => l.id === labId)?.stuck).length;
  const parts = [];
  const open = room.hands.filter((h) => !handAnswered(h)).length;
  if (open) parts.push(el("a", { href: "#hands-section", class: "alert" }, `${open} raised hand(s)`));
  if (stuck) parts.push(el("a", { href: "#grid", class: "alert" }, `${stuck} stuck`));
  $("alerts").replaceChildren(...parts);
}

function renderControls(labId) {
  const labs = new Set();
  for (const s of room.students.values()) for (const l of s.labs) labs.add(l.id);
  $("lab").replaceChildren(...[...labs].sort().map((id) => el("option", id === labId ? { value: id, selected: "" } : { value: id }, id)));
  const titles = stepTitles(labId);
  const released = room.gate[labId];
  const options = [el("option", released === undefined ? { value: "", selected: "" } : { value: "" }, "every step (gate open)")];
  titles.forEach((t, i) => options.push(el("option", released === i + 1 ? { value: i + 1, selected: "" } : { value: i + 1 }, `step ${i + 1}: ${t}`)));
  $("gate").replaceChildren(...options);
  $("gate-state").textContent = released === undefined ? "gate open" : `gate: steps 1–${released} released`;
  // With the gate open there is no next step to release: the room is held by choosing a step first.
  $("release-next").disabled = released === undefined;
  $("release-next").title = released === undefined ? "The gate is open: choose a step in “Students may go up to” to hold the room there" : `Let students start step ${released + 1}`;
}

function render() {
  const labId = currentLab();
  $("title").textContent = room.title || "rootlab room";
  document.title = `${room.title} — rootlab room`;
  renderControls(labId);
  renderGrid(labId);
  renderChecks(labId);
  renderHands();
  $("status").textContent = `live · ${room.students.size} student(s) · ${room.events} event(s)`;
  renderAlerts(labId);
}

function apply(msg) {
  skew = msg.now !== undefined ? msg.now - Date.now() : skew;
  if (msg.type === "snapshot") {
    const r = msg.room;
    skew = r.now - Date.now();
    Object.assign(room, { title: r.title, checks: r.checks, hands: r.hands, gate: r.gate, events: r.events, students: new Map(r.students.map((s) => [s.id, s])) });
  } else {
    for (const s of msg.students) room.students.set(s.id, s);
    room.events = msg.events;
    if (msg.checks) room.checks = msg.checks;
    if (msg.hands) room.hands = msg.hands;
    if (msg.gate) room.gate = msg.gate;
  }
  render();
}

async function follow() {
  for (;;) {
    try {
      const res = await fetch("/api/feed", { headers: auth });
      if (res.status === 401 || res.status === 403) {
        $("status").textContent = "wrong or missing instructor token: open the dashboard address that `rootlab room serve` printed";
        return;
      }
      await readFeed(res.body, apply);
    } catch {
      // The server restarted or the network dropped: reconnect below.
    }
    // What is on screen is the last the room said; the instructor's next move is to start the server again.
    $("status").textContent = "reconnecting… (no answer from the room server: start `rootlab room serve` again with the same --data)";
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function setGate(released) {
  const lab = currentLab();
  if (!lab) return;
  const res = await fetch("/api/gate", { method: "PUT", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ lab, released }) });
  if (!res.ok) $("status").textContent = `gate not changed: ${(await res.json()).error}`;
}

function download(name, type, text) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

$("lab").addEventListener("change", (e) => {
  chosenLab = e.target.value;
  render();
});
$("gate").addEventListener("change", (e) => setGate(e.target.value === "" ? null : Number(e.target.value)));
$("release-next").addEventListener("click", () => {
  const released = room.gate[currentLab()];
  setGate(released === undefined || released + 1 >= stepTitles(currentLab()).length ? null : released + 1);
});
$("export-json").addEventListener("click", async () => download("room.json", "application/json", await (await fetch("/api/export", { headers: auth })).text()));
$("export-junit").addEventListener("click", async () => {
  for (const s of room.students.values()) {
    const xml = await (await fetch(`/api/export/junit/${encodeURIComponent(s.id)}`, { headers: auth })).text();
    download(`${s.name.replace(/[^A-Za-z0-9._-]+/g, "_")}-${s.id}.xml`, "application/xml", xml);
  }
});
setInterval(() => {
  if (room.students.size) renderGrid(currentLab());
}, 1000);
follow();
