// explain on the lab that builds a container runtime in shell: its containers are no session of rootlab's but
// processes the lab started in the background (`unshare … &`, runc), and explain must see them — their seven
// namespaces, the mounts inside their mount namespace, the veth end inside their network namespace, the cgroup
// they joined — read from the machine, and nothing left over after the cleanups.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { explained, stepTexts, texts } from "../helpers/explain-report.js";
import { isRoot, ROOT_REASON } from "../helpers/root.js";

const LAB = "runtime-in-shell";
// What the lab's `requires:` names, as the host must have it (the run would skip the lab otherwise).
const NEEDED = ["tar", "jq", "sha256sum", "unshare", "nsenter", "setpriv", "newuidmap", "pgrep", "ip", "curl", "runc"];
const dirs = (process.env.PATH ?? "").split(delimiter).concat(["/usr/sbin", "/sbin"]);
const absent = NEEDED.filter((c) => !dirs.some((d) => d !== "" && existsSync(join(d, c))));
const skipReason = !isRoot ? ROOT_REASON : absent.length > 0 ? `lab ${LAB} needs ${absent.join(", ")} on the host` : undefined;

function suite(name: string, fn: () => void): void {
  if (skipReason) describe.skip(`${name} [skipped: ${skipReason}]`, fn);
  else describe(name, fn);
}

suite("verify --explain sees the lab's own containers (runtime-in-shell)", () => {
  it("names the first process's namespaces, its mounts, its eth0 and its cgroup; nothing is left after the cleanups", async () => {
    const lab = await explained(LAB);
    expect(lab.outcome.status, lab.outcome.reason).toBe("pass");
    const step = (prefix: string) => stepTexts(lab, prefix);

    // create: one process in seven new namespaces, PID 1 in its PID namespace, in the cgroup rlr-one.
    const create = step("create-the-first");
    const born = create.map((t) => /^\+ PID (\d+) \(sh\): 7 new namespaces \(user, mnt, uts, ipc, net, pid, cgroup\)$/.exec(t)).find(Boolean);
    expect(born, create.join("\n")).toBeTruthy();
    const pid = born?.[1] as string;
    expect(create).toContain(`PID ${pid} is PID 1 inside its PID namespace`);
    expect(create.some((t) => new RegExp(`^cgroup (\\S+/)?rlr-one.*: .*PID ${pid} \\(sh\\).* joined$`).test(t)), create.join("\n")).toBe(true);
    expect(create.join("\n")).not.toMatch(/hostname is/);

    // root: the mounts inside its mount namespace, the overlay as its root, its hostname.
    const root = step("root-proc");
    expect(root).toContain(`PID ${pid}: /proc mounted (proc)`);
    expect(root).toContain(`PID ${pid}: /dev mounted (tmpfs)`);
    expect(root.some((t) => new RegExp(`^PID ${pid}: root is now /\\S+/containers/one/rootfs \\(overlay\\) \\(was /\\)$`).test(t)), root.join("\n")).toBe(true);
    expect(root).toContain(`PID ${pid}: hostname is one`);

    // net: eth0 inside its network namespace, with its address and default route.
    const net = step("net-a-veth");
    expect(net).toContain(`+ veth rlr-one (host) ⇄ eth0 (PID ${pid}'s net namespace)`);
    expect(net).toContain(`+ 10.231.14.2/24 on eth0 (PID ${pid}'s net namespace)`);
    expect(net).toContain(`+ route default via 10.231.14.1 dev eth0 (PID ${pid}'s net namespace)`);

    // start: the same process now runs the image's command.
    expect(step("start-run")).toContain(`PID ${pid} now runs httpd (was sh)`);

    // runc's container is seen the same way, though runc started it and left.
    const runc = lab.steps.flatMap((s) => texts(s.changes)).filter((t) => /eth0 \(PID \d+'s net namespace\)/.test(t) && t.includes("rlr-three"));
    expect(runc.length, "runc's container's veth").toBe(1);

    expect(lab.changesAfterCleanup).toEqual([]);
  });
});
