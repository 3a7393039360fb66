// The join page's commands for this room, as the student's browser reached it: the join line, and for a libvirt
// lab VM (isolated network) the ssh tunnel that brings the room into the VM and the address to join there.
import { describe, expect, it } from "vitest";
import { joinPage } from "../../src/room/pages.js";
import type { RoomService } from "../../src/room/service.js";

const service = { code: "Code123456789012", room: { title: "Containers <from> scratch" } } as unknown as RoomService;

describe("the join page", () => {
  it.each([
    { base: "http://192.168.1.10:8080", join: "http://192.168.1.10:8080/r/Code123456789012", tunnel: "vagrant ssh -- -R 8080:192.168.1.10:8080", inVm: "http://127.0.0.1:8080/r/Code123456789012" },
    { base: "http://room.lan", join: "http://room.lan/r/Code123456789012", tunnel: "vagrant ssh -- -R 80:room.lan:80", inVm: "http://127.0.0.1:80/r/Code123456789012" },
    { base: "http://[fe80::1]:9000", join: "http://[fe80::1]:9000/r/Code123456789012", tunnel: "vagrant ssh -- -R 9000:[fe80::1]:9000", inVm: "http://127.0.0.1:9000/r/Code123456789012" },
  ])("reached at $base", ({ base, join, tunnel, inVm }) => {
    const html = joinPage(service, base, undefined, "sudo npx rootlab");
    expect(html).toContain(`sudo npx rootlab room join ${join} --name &quot;Your Name&quot;`);
    expect(html).toContain(`<code>${tunnel}</code>`);
    expect(html).toContain(`join <code>${inVm}</code>`);
    expect(html).toContain("<h1>Containers &lt;from&gt; scratch</h1>");
  });
});
