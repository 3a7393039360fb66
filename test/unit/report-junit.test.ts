import { describe, expect, it } from "vitest";
import { RunCollector } from "../../src/report/collect.js";
import { renderJunit } from "../../src/report/junit.js";
import { escapeAttr, escapeText } from "../../src/report/xml.js";
import { EVENTS, STARTED_AT } from "./report-events.js";
import type { RunEvent } from "../../src/exec/types.js";

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const XML_CHAR = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NAME = "[A-Za-z_][\\w.-]*";
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  if (/&/.test(raw.replace(ENTITY, ""))) throw new Error(`bare & in ${where}: ${raw}`);
  if (raw.includes("<")) throw new Error(`< in ${where}`);
  return raw.replace(ENTITY, (e) => ({ "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'" })[e] ?? String.fromCodePoint(e.startsWith("&#x") ? parseInt(e.slice(3), 16) : parseInt(e.slice(2), 10)));
}

/** A small strict XML 1.0 well-formedness checker: one root, nesting, quoting, entities, allowed characters. */
function parseXml(xml: string): XmlElement {
  if (!XML_CHAR.test(xml)) throw new Error("character not allowed in XML");
  let rest = xml.replace(/^<\?xml [^?]*\?>\n?/, "");
  const root: XmlElement = { name: "#doc", attrs: {}, children: [], text: "" };
  const stack = [root];
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>`);
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    const text = lt < 0 ? rest : rest.slice(0, lt);
    if (text) {
      if (stack.length === 1 && text.trim() !== "") throw new Error(`text outside the root: ${text}`);
      stack[stack.length - 1]!.text += decode(text, "text");
    }
    if (lt < 0) break;
    rest = rest.slice(lt);
    const m = tag.exec(rest);
    if (!m) throw new Error(`malformed tag at: ${rest.slice(0, 60)}`);
    const [whole, close, name, attrText, selfClose] = m;
    rest = rest.slice(whole.length);
    if (close) {
      const open = stack.pop();
      if (open?.name !== name || attrText || selfClose) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, "g"))) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
    }
    const el: XmlElement = { name: name!, attrs, children: [], text: "" };
    if (stack.length === 1 && root.children.length > 0) throw new Error("more than one root element");
    stack[stack.length - 1]!.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error("no root element");
  return root.children[0]!;
}

function junitOf(events: RunEvent[]): string {
  const c = new RunCollector(() => STARTED_AT);
  for (const e of events) c.onEvent(e);
  return renderJunit(c.report());
}

const kids = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);

describe("JUnit report", () => {
  const xml = junitOf(EVENTS);

  it("matches the snapshot", async () => {
    await expect(xml).toMatchFileSnapshot("./__snapshots__/report-junit.xml");
  });

  it("is well-formed XML with consistent counts on every level", () => {
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    const suites = kids(root, "testsuite");
    expect(suites.map((s) => s.attrs.name)).toEqual(["veth-pair", "expect-demo", "machinectl-intro", "leaky"]);
    const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const suite of suites) {
      const cases = kids(suite, "testcase");
      const count = (n: string) => cases.filter((c) => kids(c, n).length > 0).length;
      const mine = { tests: cases.length, failures: count("failure"), errors: count("error"), skipped: count("skipped") };
      expect(suite.attrs).toMatchObject(Object.fromEntries(Object.entries(mine).map(([k, v]) => [k, String(v)])));
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += mine[k];
      for (const c of cases) {
        expect(c.attrs.classname).toBe(suite.attrs.name);
        expect(c.attrs.time).toMatch(/^\d+\.\d{3}$/);
        for (const f of [...kids(c, "failure"), ...kids(c, "error")]) {
          expect(f.attrs.message).toBeTruthy();
          expect(f.attrs.type).toBeTruthy();
        }
      }
      expect(suite.attrs.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    }
    expect(root.attrs).toMatchObject({ tests: String(total.tests), failures: String(total.failures), errors: String(total.errors), skipped: String(total.skipped), time: "2.973" });
  });

  it("has one testcase per step, named N. title, and one for cleanup and the leak check", () => {
    const root = parseXml(xml);
    const [veth, expectDemo, machine, leaky] = kids(root, "testsuite");
    expect(kids(veth!, "testcase").map((c) => c.attrs.name)).toEqual(["1. Create two namespaces", "2. Connect them", "cleanup and leak check"]);
    const [, failing, notReached] = kids(expectDemo!, "testcase");
    const failure = kids(failing!, "failure")[0]!;
    expect(failure.attrs).toEqual({ message: "output does not match the expect block at labs/expect-demo.md:24", type: "expect-mismatch" });
    expect(failure.text).toContain(">    2  1 sh (re)");
    expect(failure.text).toContain("hint: Inside a new PID namespace the shell is PID 1");
    expect(failure.text).toContain("    4243 ps\n    warning: odd byte\n");
    expect(kids(notReached!, "skipped")[0]!.attrs.message).toContain("not run");
    expect(kids(machine!, "testcase")).toHaveLength(1);
    expect(kids(machine!, "testcase")[0]!.attrs.name).toBe("lab");
    expect(kids(kids(machine!, "testcase")[0]!, "skipped")[0]!.attrs.message).toBe("cannot run here: systemd as PID 1 (boot the lab VM: rootlab vm up)");
    const [strict, cleanup] = kids(leaky!, "testcase");
    expect(kids(strict!, "failure")[0]!.attrs.type).toBe("check-passed-before-step");
    const cf = kids(cleanup!, "failure")[0]!;
    expect(cf.attrs.message).toBe("cleanup at labs/leaky.md:30 failed; leaked: netns rl-red, link veth-host");
    expect(cf.text).toContain('Cannot find device "veth-host"');
    expect(cf.text).toContain("leaked: netns rl-red, link veth-host");
  });

  it("shows a lab that failed outside its steps", () => {
    const events: RunEvent[] = [
      { type: "run-start", labs: [{ id: "x", file: "labs/x.md" }], strict: false },
      { type: "lab-end", summary: { id: "x", title: "X", file: "labs/x.md", outcome: { status: "error", reason: "fixture alpine-rootfs: sha256 mismatch" }, durationMs: 5, steps: [], leaks: [] } },
      { type: "run-end", labs: [], durationMs: 5 },
    ];
    const suite = kids(parseXml(junitOf(events)), "testsuite")[0]!;
    expect(suite.attrs.errors).toBe("1");
    expect(kids(kids(suite, "testcase")[0]!, "error")[0]!.attrs).toEqual({ message: "fixture alpine-rootfs: sha256 mismatch", type: "lab-error" });
  });
});

describe("XML escaping", () => {
  it.each([
    ["a & b < c > d", "a &amp; b &lt; c &gt; d"],
    ["\x1b[31mred\x1b[0m", "red"],
    ["nul\x00 bell\x07 ok\ttab", "nul bell ok\ttab"],
    ["lone \uD800 surrogate \uFFFE", "lone  surrogate "],
    ["emoji 🙂 ok", "emoji 🙂 ok"],
    ["]]> stays", "]]&gt; stays"],
  ])("text %j", (input, out) => {
    expect(escapeText(input)).toBe(out);
    expect(() => parseXml(`<a>${escapeText(input)}</a>`)).not.toThrow();
  });

  it("keeps quotes and line breaks in attributes", () => {
    const value = `say "hi" it's\nline\ttwo & <more>`;
    expect(parseXml(`<a v="${escapeAttr(value)}"/>`).attrs.v).toBe(value);
  });

  it("the checker catches malformed XML", () => {
    for (const bad of ["<a><b></a></b>", "<a>x & y</a>", '<a v="1" v="2"/>', "<a>", "<a/><b/>", "<a>\x01</a>", "<a v=1/>"]) {
      expect(() => parseXml(bad)).toThrow();
    }
  });
});
