// The room's live feed (/api/feed: server-sent events) read from a fetch() response body, one parsed message per
// `data:` frame. The dashboard and bench/room.js both read the feed with this, so the benchmark measures the
// path the page takes. Resolves when the stream ends; rejects when it breaks or its fetch is aborted.
export async function readFeed(body, onMessage) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end;
    while ((end = buf.indexOf("\n\n")) >= 0) {
      const frame = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const data = frame.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (data) onMessage(JSON.parse(data));
    }
  }
}
