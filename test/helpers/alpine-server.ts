// The Alpine minirootfs from ../shared served on 127.0.0.1 at the path of the official mirror, so the
// alpine-rootfs lab's real download → checksum → extract path runs offline (ROOTLAB_ALPINE_URL points here).
import { createServer } from "node:http";
import { createReadStream, existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { ALPINE_FIXTURE } from "./shared-fixtures.js";

export interface AlpineServer {
  /** What to put in ROOTLAB_ALPINE_URL. */
  url: string;
  close(): Promise<void>;
}

/** Undefined when the fixture is not beside the checkout (the lab then uses rootlab's cache, or is skipped). */
export async function serveAlpine(): Promise<AlpineServer | undefined> {
  if (!existsSync(ALPINE_FIXTURE)) return undefined;
  const server = createServer((req, res) => {
    if (!req.url?.endsWith(".tar.gz") && !req.url?.endsWith(".tar.gz.sha256")) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    createReadStream(req.url.endsWith(".sha256") ? `${ALPINE_FIXTURE}.sha256` : ALPINE_FIXTURE).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alpine/v3.20/releases/x86_64/alpine-minirootfs-3.20.3-x86_64.tar.gz`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
