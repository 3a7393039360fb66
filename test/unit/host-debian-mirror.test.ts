// Which Debian mirror the systemd-image fixture builds from: the one apt already uses for the suite.
import { describe, expect, it } from "vitest";
import { mirrorFromSources, type AptSourcesFile } from "../../src/host/fixtures/debian-mirror.js";
import { DEB822_BOOKWORM as DEB822 } from "../helpers/apt-sources.js";

const cases: { name: string; files: AptSourcesFile[]; want: string | undefined }[] = [
  { name: "deb822 stanza for the suite", files: [{ path: "/etc/apt/sources.list.d/debian.sources", text: DEB822 }], want: "http://deb.debian.org/debian" },
  {
    name: "one-line format with options in brackets",
    files: [{ path: "/etc/apt/sources.list", text: "# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.local/debian bookworm main\n" }],
    want: "http://mirror.local/debian",
  },
  { name: "security archive only", files: [{ path: "/etc/apt/sources.list", text: "deb http://security.debian.org/debian-security bookworm-security main\n" }], want: undefined },
  { name: "another suite only", files: [{ path: "/etc/apt/sources.list", text: "deb http://deb.debian.org/debian trixie main\n" }], want: undefined },
  { name: "disabled deb822 stanza", files: [{ path: "/x.sources", text: `Enabled: no\n${DEB822.split("\n\n")[0]}\n` }], want: undefined },
  { name: "deb-src is not a binary source", files: [{ path: "/etc/apt/sources.list", text: "deb-src http://deb.debian.org/debian bookworm main\n" }], want: undefined },
  { name: "a local file: mirror is not http", files: [{ path: "/etc/apt/sources.list", text: "deb file:/srv/debian bookworm main\n" }], want: undefined },
  {
    name: "first file wins",
    files: [
      { path: "/etc/apt/sources.list", text: "deb http://first.example/debian bookworm main\n" },
      { path: "/etc/apt/sources.list.d/debian.sources", text: DEB822 },
    ],
    want: "http://first.example/debian",
  },
];

describe("mirrorFromSources", () => {
  it.each(cases)("$name", ({ files, want }) => {
    expect(mirrorFromSources(files, "bookworm")).toBe(want);
  });
});
