// Where progress is kept: the invoking user's state dir, also under sudo.
import { describe, expect, it } from "vitest";
import { homeFromPasswd, progressLocation } from "../../src/guided/progress-path.js";

const PASSWD = "root:x:0:0:root:/root:/bin/bash\nana:x:1000:1000:Ana,,,:/home/ana:/bin/bash\nbob:x:1001:1001::/srv/bob:/bin/sh\n";

describe("progressLocation", () => {
  it.each([
    ["a user without sudo", { HOME: "/home/ana" }, 1000, "/home/ana/.local/state/rootlab/progress.json", undefined],
    ["XDG_STATE_HOME wins", { HOME: "/home/ana", XDG_STATE_HOME: "/x/state" }, 1000, "/x/state/rootlab/progress.json", undefined],
    ["a relative XDG_STATE_HOME is ignored (XDG spec)", { HOME: "/home/ana", XDG_STATE_HOME: "rel" }, 1000, "/home/ana/.local/state/rootlab/progress.json", undefined],
    ["root via sudo: the sudo user's home, chowned to them", { HOME: "/root", SUDO_USER: "bob", SUDO_UID: "1001", SUDO_GID: "1001" }, 0, "/srv/bob/.local/state/rootlab/progress.json", 1001],
    ["sudo from root itself stays root's", { HOME: "/root", SUDO_USER: "root", SUDO_UID: "0" }, 0, "/root/.local/state/rootlab/progress.json", undefined],
    ["plain root", { HOME: "/root" }, 0, "/root/.local/state/rootlab/progress.json", undefined],
    ["a sudo user missing from passwd falls back to /home/NAME", { SUDO_USER: "zed", SUDO_UID: "2000", SUDO_GID: "2000" }, 0, "/home/zed/.local/state/rootlab/progress.json", 2000],
  ])("%s", (_name, env, uid, file, owner) => {
    const loc = progressLocation(env, uid, () => PASSWD);
    expect(loc.file).toBe(file);
    expect(loc.owner.uid).toBe(owner);
  });

  it("homeFromPasswd finds a user's home", () => {
    expect(homeFromPasswd(PASSWD, "ana")).toBe("/home/ana");
    expect(homeFromPasswd(PASSWD, "nobody")).toBeUndefined();
  });
});
