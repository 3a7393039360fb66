// A picture of the lab's wiring: namespaces as boxes, veth pairs as lines between them, bridges with their ports,
// addresses on the ends. In the terminal (Unicode box drawing, or plain ASCII) and as Mermaid. Pure.
import type { LinkView, MachineView, NetnsView } from "./types.js";

export interface Wiring {
  /** Namespaces with the lab's links (the host's own interfaces are not the lab's and stay out). */
  boxes: { name: string; links: LinkView[] }[];
  /** veth pairs: [namespace, link] at each end. */
  wires: { a: { ns: string; link: string }; b: { ns: string; link: string } }[];
}

/** The lab's links: everything in a namespace other than the host's, and on the host what was not there at start. */
export function wiringOf(view: MachineView, start: MachineView): Wiring {
  const startHost = new Set(start.netns.find((n) => n.name === "host")?.links.map((l) => l.name) ?? []);
  const mine = (ns: NetnsView, l: LinkView) => l.kind !== "loopback" && (ns.name !== "host" || !startHost.has(l.name));
  const boxes = view.netns.map((ns) => ({ name: ns.name, links: ns.links.filter((l) => mine(ns, l)) })).filter((b) => b.links.length > 0);
  const wires: Wiring["wires"] = [];
  const seen = new Set<string>();
  for (const box of boxes) {
    for (const l of box.links) {
      if (l.kind !== "veth" || !l.peer) continue;
      const key = [`${box.name}/${l.name}`, `${l.peer.netns}/${l.peer.name}`].sort().join("|");
      if (seen.has(key)) continue;
      seen.add(key);
      wires.push({ a: { ns: box.name, link: l.name }, b: { ns: l.peer.netns, link: l.peer.name } });
    }
  }
  return { boxes, wires };
}

const UNICODE = { tl: "┌", tr: "┐", bl: "└", br: "┘", h: "─", v: "│", wire: "─", joinL: "├", joinR: "┤", port: "└" };
const ASCII = { tl: "+", tr: "+", bl: "+", br: "+", h: "-", v: "|", wire: "-", joinL: "+", joinR: "+", port: "`" };

function linkLabel(l: LinkView): string {
  const addr = l.addresses.length ? ` ${l.addresses.join(" ")}` : "";
  const kind = l.kind === "veth" ? "" : ` (${l.kind})`;
  const master = l.master ? ` [port of ${l.master}]` : "";
  return `${l.name}${kind}${addr}${master}`;
}

/** Lines of the picture; empty when the lab has no wiring. */
export function renderDiagram(w: Wiring, opts: { ascii?: boolean; width?: number } = {}): string[] {
  if (w.boxes.length === 0) return [];
  const g = opts.ascii ? ASCII : UNICODE;
  const hub = w.boxes.reduce((best, b) => (wireCount(w, b.name) > wireCount(w, best.name) ? b : best), w.boxes.find((b) => b.name === "host") ?? (w.boxes[0] as Wiring["boxes"][number]));
  const others = w.boxes.filter((b) => b !== hub);
  const leftW = Math.max(hub.name.length + 6, ...hub.links.map((l) => linkLabel(l).length + 4));
  const rightW = Math.max(8, ...others.map((b) => Math.max(b.name.length + 6, ...b.links.map((l) => linkLabel(l).length + 4))));
  const gap = 6;
  const lines: string[] = [];
  const top = (name: string, width: number) => `${g.tl}${g.h} ${name} ${g.h.repeat(Math.max(0, width - name.length - 5))}${g.tr}`;
  const row = (text: string, width: number) => `${g.v} ${text.padEnd(width - 4)} ${g.v}`;
  const bottom = (width: number) => `${g.bl}${g.h.repeat(width - 2)}${g.br}`;
  // Left: the hub's links, grouped by the namespace they lead to, each group beside that namespace's box.
  const placed = new Set<string>();
  lines.push(top(hub.name, leftW));
  for (const other of others) {
    const pairs = w.wires.filter((x) => (x.a.ns === hub.name && x.b.ns === other.name) || (x.b.ns === hub.name && x.a.ns === other.name));
    const left = pairs.map((p) => (p.a.ns === hub.name ? p.a.link : p.b.link));
    const right = pairs.map((p) => (p.a.ns === hub.name ? p.b.link : p.a.link));
    const rightLinks = [...right.map((n) => other.links.find((l) => l.name === n)).filter((l): l is LinkView => Boolean(l)), ...other.links.filter((l) => !right.includes(l.name))];
    const height = Math.max(left.length, rightLinks.length) + 2;
    for (let k = 0; k < height; k++) {
      const leftName = k >= 1 && k - 1 < left.length ? left[k - 1] : undefined;
      const leftLink = leftName ? hub.links.find((l) => l.name === leftName) : undefined;
      if (leftName) placed.add(leftName);
      let leftText = row(leftLink ? linkLabel(leftLink) : "", leftW);
      const rl = k >= 1 && k - 1 < rightLinks.length ? rightLinks[k - 1] : undefined;
      const rightText = k === 0 ? top(other.name, rightW) : k === height - 1 ? bottom(rightW) : row(rl ? linkLabel(rl) : "", rightW);
      const wired = leftLink && rl && right.includes(rl.name);
      if (wired) leftText = `${leftText.slice(0, -1)}${g.joinL}`;
      const mid = wired ? g.wire.repeat(gap) : " ".repeat(gap);
      const rightOut = wired ? `${g.joinR}${rightText.slice(1)}` : rightText;
      lines.push(`${leftText}${mid}${rightOut}`);
    }
  }
  for (const l of hub.links) if (!placed.has(l.name)) lines.push(row(linkLabel(l), leftW));
  lines.push(bottom(leftW));
  // Pairs between two namespaces that are not the hub.
  for (const x of w.wires) {
    if (x.a.ns === hub.name || x.b.ns === hub.name) continue;
    lines.push(`${x.a.link} (${x.a.ns}) ${g.wire.repeat(3)} ${x.b.link} (${x.b.ns})`);
  }
  return lines;
}

function wireCount(w: Wiring, ns: string): number {
  return w.wires.filter((x) => x.a.ns === ns || x.b.ns === ns).length;
}

const mermaidId = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_");
const mermaidText = (s: string) => s.replace(/"/g, "#quot;");

/** A Mermaid flowchart of the same wiring: a subgraph per namespace, a node per link, an edge per veth pair. */
export function renderMermaid(w: Wiring): string {
  const out = ["flowchart LR"];
  for (const b of w.boxes) {
    out.push(`  subgraph ${mermaidId(`ns_${b.name}`)}["${mermaidText(b.name)}"]`);
    for (const l of b.links) out.push(`    ${mermaidId(`${b.name}_${l.name}`)}["${mermaidText(linkLabel(l))}"]`);
    out.push("  end");
  }
  for (const x of w.wires) out.push(`  ${mermaidId(`${x.a.ns}_${x.a.link}`)} --- ${mermaidId(`${x.b.ns}_${x.b.link}`)}`);
  for (const b of w.boxes) for (const l of b.links) if (l.master) out.push(`  ${mermaidId(`${b.name}_${l.name}`)} -.- ${mermaidId(`${b.name}_${l.master}`)}`);
  return `${out.join("\n")}\n`;
}
