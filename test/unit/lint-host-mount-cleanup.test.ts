// safety/host-mount lets one thing through on the host: a `umount` of a system file the lab bind-mounts its own
// $LAB_DIR file over (what a student typed on the host by mistake, meant for a container's shell), so a cleanup
// can take it off. Everything near it stays refused: another path, a second path beside it, a path through `..`,
// `-R`, a mount, a folder, no such mount in the lab.
import { describe, expect, test } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { lintLab } from "../../src/lint/lint.js";

/** A lab whose step enters the lab's netns (own mount namespace), bind-mounts there, and has `host` as a block. */
const lab = (inShell: string, role: string, host: string) =>
  "---\nid: t\nformat: 1\n---\n# T\n\n## Step\n\nText.\n\n" +
  "```sh\nip netns add rlt-c\n```\n\n```sh cleanup\nip netns del rlt-c\n```\n\n" +
  "```sh enter=c\nip netns exec rlt-c bash\n```\n\n" +
  `\`\`\`sh session=c\n${inShell}\n\`\`\`\n\n\`\`\`sh${role}\n${host}\n\`\`\`\n\n\`\`\`sh verify\n# ok\ntrue\n\`\`\`\n`;

function hostMountLines(source: string): number[] {
  const parsed = parseLab(source, "t.md");
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return lintLab(parsed.lab, source).filter((d) => d.code === "safety/host-mount").map((d) => d.line);
}

const BIND = 'mount --bind "$LAB_DIR/hosts" /etc/hosts';
const CASES: [string, string, string, string, boolean][] = [
  ["the cleanup undoing the lab's own bind mount", BIND, " cleanup", "umount /etc/hosts", false],
  ["a path the lab never mounts over", BIND, " cleanup", "umount /etc/resolv.conf", true],
  ["a recursive umount", BIND, " cleanup", "umount -R /etc/hosts", true],
  ["a second path before the lab's own", BIND, " cleanup", "umount /proc /etc/hosts", true],
  ["a second path after the lab's own", BIND, " cleanup", "umount /etc/hosts /sys", true],
  ["/etc itself", 'mount --bind "$LAB_DIR/etc" /etc', " cleanup", "umount /etc", true],
  ["a system folder, not the lab's file", 'mount -t tmpfs tmpfs /usr/lib', " cleanup", "umount /usr/lib", true],
  ["a mount (not an umount) in the cleanup", BIND, " cleanup", 'mount --bind "$LAB_DIR/hosts" /etc/hosts', true],
  ["no mount in the lab at all", "true", " cleanup", "umount /etc/hosts", true],
  ["the host's /proc before a path of the lab's, outside a cleanup", "true", "", 'umount /proc "$LAB_DIR/mnt"', true],
  ["a way out of /etc with ..", 'mount --bind "$LAB_DIR/x" /etc/../proc', " cleanup", "umount /etc/../proc", true],
  ["a double slash into a dot segment", 'mount --bind "$LAB_DIR/x" /etc//../sys', " cleanup", "umount /etc//../sys", true],
];

describe("safety/host-mount: a cleanup may undo the lab's own bind mount over a system file", () => {
  test.each(CASES)("%s", (_name, inShell, role, host, refused) => {
    expect(hostMountLines(lab(inShell, role, host)).length > 0).toBe(refused);
  });
});
