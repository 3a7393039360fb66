// `rootlab vm status` for a VM not created yet: the default box comes from the internet, so the message names the
// offline way too (docs/vm.md, "Offline path"), with rootlab named as it was run.
import { describe, expect, test } from "vitest";
import { describeMachine } from "../../src/vm/lifecycle.js";
import { DEFAULT_BOX } from "../../src/vm/settings.js";

const notCreated = { name: "default", state: "not_created", stateText: "not created", provider: "libvirt" };

describe("vm status for a lab VM not created yet", () => {
  test("the default box: the internet path and the offline one", () => {
    const text = describeMachine(notCreated, DEFAULT_BOX, "npx rootlab");
    expect(text).toContain("Create it with `npx rootlab vm up`: the first boot downloads the box debian/bookworm64 from Vagrant Cloud");
    expect(text).toContain("Offline, build the box here first: `sudo npx rootlab vm box build`, then the `vagrant box add` it prints, and `box: rootlab-lab` in lab-vm.yml");
  });

  test.each(["rootlab-lab", "my-box"])("a box of one's own (%s): no Vagrant Cloud, no offline detour", (box) => {
    const text = describeMachine(notCreated, box, "rootlab");
    expect(text).toContain(`the first boot starts the box ${box}`);
    expect(text).not.toMatch(/Vagrant Cloud|box build/);
  });

  // Every state's next step names rootlab as it was run, not a bare `rootlab` the person may not have on PATH.
  test.each([
    ["running", "Open a shell with `node bin/rootlab.js vm ssh`; check the labs with `node bin/rootlab.js vm verify`."],
    ["poweroff", "Start it with `node bin/rootlab.js vm up`."],
    ["saved", "Resume it with `node bin/rootlab.js vm up`."],
  ])("%s: the next step as rootlab was run", (state, next) => {
    const text = describeMachine({ ...notCreated, state, stateText: state }, DEFAULT_BOX, "node bin/rootlab.js");
    expect(text).toBe(`lab VM (default): ${state} (libvirt)\n${next}`);
  });
});
