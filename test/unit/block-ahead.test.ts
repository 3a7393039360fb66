// The next block made ready while the one before runs (src/exec/block-ahead.ts): taken only by exactly that block
// in that session with its FIFOs in sight and the same verbose state; otherwise given back (its FIFOs closed).
import { describe, expect, it } from "vitest";
import { BlockAhead } from "../../src/exec/block-ahead.js";
import type { BlockChannel } from "../../src/exec/block-channel.js";
import type { BlockOutput } from "../../src/exec/block-output.js";

function fakeChannel(opts: { ready?: boolean; current?: boolean } = {}) {
  const finished: string[] = [];
  let n = 0;
  const channel = {
    openReady(nonce: string) {
      if (opts.ready === false) return undefined;
      const files = { stdin: "/run/x/in", stdout: `/run/x/f${n}`, stderr: `/run/x/f${n + 1}`, line: `/run/x/${nonce}.l` };
      n += 2;
      return { files, finish: () => (finished.push(nonce), { stdout: "", stderr: "" }) } as unknown as BlockOutput;
    },
    current: () => opts.current !== false,
  } as unknown as BlockChannel;
  return { channel, finished };
}

const next = { session: "host", code: "echo one\necho two", mode: "script" as const };
const PLAIN = { verbose: false, fast: false };

function made(channel: BlockChannel) {
  let i = 0;
  const ahead = new BlockAhead(() => `n${++i}`, (nonce) => nonce.slice(1));
  ahead.expect(next);
  ahead.prepare("host", channel, PLAIN);
  return ahead;
}

describe("BlockAhead", () => {
  it("makes the expected block ready: its commands, its nonce, and its text with that nonce and those FIFOs", () => {
    const { channel } = fakeChannel();
    const ready = made(channel).take("host", next.code, "script", channel, PLAIN);
    expect(ready?.commands.map((c) => c.text)).toEqual(["echo one", "echo two"]);
    expect(ready?.nonce).toBe("n1");
    expect(ready?.text.startsWith("\n")).toBe(true); // an empty prelude: the pid exports go in front when sent
    expect(ready?.text).toContain("'/run/x/f0'");
    expect(ready?.text).toContain("n1");
  });

  it.each([
    ["another block", { code: "echo three" }],
    ["another session", { session: "box" }],
    ["another mode", { mode: "check" as const }],
    ["verbose turned on by the block before", { verbose: true }],
    ["bash's after-block function said usable by the block before", { fast: true }],
  ])("gives it back for %s (its FIFOs closed)", (_name, change) => {
    const { channel, finished } = fakeChannel();
    const ahead = made(channel);
    const want = { session: "host", code: next.code, mode: "script" as const, verbose: false, fast: false, ...change };
    expect(ahead.take(want.session, want.code, want.mode, channel, { verbose: want.verbose, fast: want.fast })).toBeUndefined();
    expect(finished).toEqual(["n1"]);
    expect(ahead.take("host", next.code, "script", channel, PLAIN)).toBeUndefined(); // given back once, gone
  });

  it("gives it back when the shell's folder changed (its root moved) or the channel is another", () => {
    const lost = fakeChannel({ current: false });
    expect(made(lost.channel).take("host", next.code, "script", lost.channel, PLAIN)).toBeUndefined();
    expect(lost.finished).toEqual(["n1"]);
    const other = fakeChannel();
    const first = fakeChannel();
    expect(made(first.channel).take("host", next.code, "script", other.channel, PLAIN)).toBeUndefined();
    expect(first.finished).toEqual(["n1"]);
  });

  it("makes nothing for a block expected in another session, or without FIFOs at hand, or unasked", () => {
    const { channel } = fakeChannel();
    const ahead = new BlockAhead(() => "n", (x) => x);
    ahead.expect({ ...next, session: "box" });
    ahead.prepare("host", channel, PLAIN);
    expect(ahead.take("box", next.code, "script", channel, PLAIN)).toBeUndefined();
    ahead.prepare("host", channel, PLAIN); // the hint was used up by the block sent before
    expect(ahead.take("host", next.code, "script", channel, PLAIN)).toBeUndefined();
    const none = fakeChannel({ ready: false });
    expect(made(none.channel).take("host", next.code, "script", none.channel, PLAIN)).toBeUndefined();
  });

  it("release() gives back what was made (the sessions close)", () => {
    const { channel, finished } = fakeChannel();
    const ahead = made(channel);
    ahead.release();
    expect(finished).toEqual(["n1"]);
    expect(ahead.take("host", next.code, "script", channel, PLAIN)).toBeUndefined();
  });
});
