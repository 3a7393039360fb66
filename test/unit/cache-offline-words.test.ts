// `rootlab cache fill` on a machine without internet: the failure in words (not a bare "ENOTFOUND"), what it tried
// to reach, and that the labs work offline without the cache — with the command named as rootlab was run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { downloadFailure, offlineHint } from "../../src/host/fixtures/download-failure.js";
import { fillAlpineCache } from "../../src/host/fixtures/alpine.js";

describe("a download's network error in words", () => {
  test.each([
    ["https://dl-cdn.alpinelinux.org/x.tar.gz", "ENOTFOUND", "the host name dl-cdn.alpinelinux.org cannot be resolved (ENOTFOUND): this machine looks offline, or has no DNS"],
    ["https://dl-cdn.alpinelinux.org/x.tar.gz", "EAI_AGAIN", "the host name dl-cdn.alpinelinux.org cannot be resolved (EAI_AGAIN): this machine looks offline, or has no DNS"],
    ["http://192.0.2.1/x.tar.gz", "ENETUNREACH", "there is no route to 192.0.2.1 (ENETUNREACH): this machine looks offline"],
    ["http://127.0.0.1:8000/x.tar.gz", "ECONNREFUSED", "127.0.0.1:8000 refused the connection (ECONNREFUSED): nothing serves files there"],
    ["http://[::1]:8000/x", "ETIMEDOUT", "[::1]:8000 did not answer (ETIMEDOUT): this machine looks offline, or a firewall drops the traffic"],
    ["http://h.test/x", "EPROTO", "EPROTO"],
  ])("%s %s → %s", (url, code, words) => {
    expect(downloadFailure(url, code)).toBe(words);
  });

  test("the offline hint names the command as given, and says the other labs need no cache", () => {
    expect(offlineHint("sudo npx rootlab", "a.tar.gz")).toBe("Every lab but alpine-rootfs runs offline without the cache. For alpine-rootfs, fill it from a copy of a.tar.gz: `sudo npx rootlab cache fill --from /path/to/a.tar.gz` (or set ROOTLAB_ALPINE_URL=file:///path/to/a.tar.gz).");
  });
});

describe("cache fill from a host that cannot be resolved", () => {
  const cache = mkdtempSync(join(tmpdir(), "rl-cache-offline-"));
  const before = process.env.ROOTLAB_CACHE;
  process.env.ROOTLAB_CACHE = cache;
  afterAll(() => {
    if (before === undefined) delete process.env.ROOTLAB_CACHE;
    else process.env.ROOTLAB_CACHE = before;
    rmSync(cache, { recursive: true, force: true });
  });

  // A 64-character label is longer than DNS allows: the resolver fails on this machine, no query is sent.
  const host = `${"a".repeat(64)}.invalid`;
  test("says the host cannot be resolved, what it tried to reach, and the offline way", async () => {
    const err = await fillAlpineCache({ from: `http://${host}/alpine.tar.gz` }).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(new RegExp(`could not download http://${host}/alpine.tar.gz: the host name ${host} cannot be resolved \\((ENOTFOUND|EAI_AGAIN)\\): this machine looks offline`));
    expect(err?.message).toContain("Every lab but alpine-rootfs runs offline without the cache");
    expect(err?.message).toMatch(/`(sudo )?(rootlab|npx rootlab|node \S*rootlab\S*) cache fill --from \/path\/to\/alpine-minirootfs-3\.20\.3-x86_64\.tar\.gz`/);
  });
});
