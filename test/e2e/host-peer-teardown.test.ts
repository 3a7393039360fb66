// The kernel destroys a deleted network namespace later, on a workqueue, and the host end of a veth whose peer was
// inside goes only then. Read right after `ip netns del`, the host end is often still listed (about half the
// time here), which once made CI blame a lab for a link it had cleaned up. awaitPeerTeardown waits for that.
import { afterAll, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { awaitPeerTeardown } from "../../src/host/peer-teardown.js";
import { describeAsRoot } from "../helpers/root.js";

const NETNS = "rlt-peerdown";
const HOST_END = "rlt-pd0";
const quiet = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "ignore" });
const linkThere = (name: string) => quiet("ip", ["link", "show", name]).status === 0;

function makePair(): void {
  expect(quiet("ip", ["netns", "add", NETNS]).status).toBe(0);
  expect(quiet("ip", ["link", "add", HOST_END, "type", "veth", "peer", "name", "rlt-pd1", "netns", NETNS]).status).toBe(0);
}

describeAsRoot("a veth whose peer's namespace is being destroyed", () => {
  afterAll(() => {
    quiet("ip", ["link", "del", HOST_END]);
    quiet("ip", ["netns", "del", NETNS]);
  });

  it("is waited for: after awaitPeerTeardown the host end is gone, every time", async () => {
    for (let round = 0; round < 20; round++) {
      makePair();
      expect(quiet("ip", ["netns", "del", NETNS]).status).toBe(0);
      await awaitPeerTeardown([HOST_END]);
      expect(linkThere(HOST_END), `round ${round}: the host end outlived the wait`).toBe(false);
    }
  }, 60_000);

  it("is not waited for when the peer's namespace lives on: the link is left for the leak check to report", async () => {
    makePair();
    // The namespace is alive, so the link stays whatever the wait does; the wait ends at its limit.
    await awaitPeerTeardown([HOST_END], 300);
    expect(linkThere(HOST_END)).toBe(true);
    quiet("ip", ["link", "del", HOST_END]);
    quiet("ip", ["netns", "del", NETNS]);
  });

  it("returns at once for names that are not links, or links peered here", async () => {
    const started = Date.now();
    await awaitPeerTeardown(["rlt-pd-none"], 30_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
