// A link whose state the kernel has not reported yet (src/explain/netns-read.ts markSettling): the explainer looks
// again until it settles, so "what changed" credits the step that made the change, not the next one.
import { describe, expect, it } from "vitest";
import { parseNetnsOutput } from "../../src/explain/netns-read.js";

const link = (ifname: string, operstate: string, flags: string[], over: Record<string, unknown> = {}) => ({ ifindex: 3, ifname, operstate, flags, linkinfo: { info_kind: "veth" }, ...over });
const read = (links: unknown[]) => parseNetnsOutput(`${JSON.stringify(links)}\n@@rootlab-explain@@\n[]\n@@rootlab-explain@@\n`)?.links.map((l) => [l.name, l.state, l.settling ?? false]);

describe("markSettling", () => {
  it.each([
    ["a veth up with carrier, reported up: settled", [link("v", "UP", ["BROADCAST", "UP", "LOWER_UP"])], [["v", "UP", false]]],
    ["a veth up with carrier, state not reported yet: settling", [link("v", "DOWN", ["BROADCAST", "UP", "LOWER_UP"])], [["v", "DOWN", true]]],
    ["a veth up whose peer is down (no carrier): settled, it stays down", [link("v", "LOWERLAYERDOWN", ["NO-CARRIER", "BROADCAST", "UP"])], [["v", "LOWERLAYERDOWN", false]]],
    ["a veth set down: settled", [link("v", "DOWN", ["BROADCAST"])], [["v", "DOWN", false]]],
    ["dormant with carrier (802.1X waiting): may last, not waited for", [link("v", "DORMANT", ["BROADCAST", "UP", "LOWER_UP", "DORMANT"])], [["v", "DORMANT", false]]],
    ["loopback up (state UNKNOWN): settled, shown as up", [link("lo", "UNKNOWN", ["LOOPBACK", "UP", "LOWER_UP"], { linkinfo: undefined, link_type: "loopback" })], [["lo", "UP", false]]],
    [
      "a bridge without carrier while a port has it: settling",
      [link("br", "DOWN", ["NO-CARRIER", "BROADCAST", "UP"], { linkinfo: { info_kind: "bridge" } }), link("p", "UP", ["BROADCAST", "UP", "LOWER_UP"], { master: "br" })],
      [["br", "DOWN", true], ["p", "UP", false]],
    ],
    [
      "a bridge without carrier whose ports have none: settled",
      [link("br", "DOWN", ["NO-CARRIER", "BROADCAST", "UP"], { linkinfo: { info_kind: "bridge" } }), link("p", "LOWERLAYERDOWN", ["NO-CARRIER", "UP"], { master: "br" })],
      [["br", "DOWN", false], ["p", "LOWERLAYERDOWN", false]],
    ],
  ])("%s", (_name, links, want) => {
    expect(read(links)).toEqual(want);
  });
});
