// cgroup v1 (hybrid) hosts: /sys/fs/cgroup is a tmpfs with one mount per controller, and `mkdir
// /sys/fs/cgroup/NAME` (a new-user trial, cgroups lab) makes a plain directory there — no cgroup — that outlived
// the run while rootlab printed "nothing was left behind". The leak check now sees entries directly under
// /sys/fs/cgroup and under each controller mount, and reclaims the plain directory with the file written in it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { existsSync, mkdirSync, rmdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { findLeaks, reclaimLeaks, snapshotHost, type HostSnapshot } from "../../src/host/leaks.js";
import { describeAsRoot } from "../helpers/root.js";

const TMPFS_MAGIC = 0x01021994;
const onTmpfs = existsSync("/sys/fs/cgroup") && statfsSync("/sys/fs/cgroup").type === TMPFS_MAGIC;
const PLAIN = "/sys/fs/cgroup/rlt-g2-plain";
const CONTROLLER = ["pids", "memory", "cpu"].map((c) => `/sys/fs/cgroup/${c}`).find((d) => existsSync(`${d}/cgroup.procs`));
const IN_CONTROLLER = CONTROLLER ? `${CONTROLLER}/rlt-g2-leak` : undefined;

describeAsRoot("leak check on a cgroup v1 host", () => {
  let before: HostSnapshot;

  beforeAll(async () => {
    if (!onTmpfs) return;
    before = await snapshotHost();
    mkdirSync(PLAIN);
    writeFileSync(`${PLAIN}/pids.max`, "20\n"); // what `echo 20 > …/pids.max` makes there: a plain file
    if (IN_CONTROLLER) mkdirSync(IN_CONTROLLER);
  });

  afterAll(() => {
    // Whatever the test did, nothing of it stays.
    rmSync(PLAIN, { recursive: true, force: true });
    if (IN_CONTROLLER && existsSync(IN_CONTROLLER)) rmdirSync(IN_CONTROLLER); // a cgroup: rmdir, never its files
  });

  it.skipIf(!onTmpfs)("(cgroup v1 or hybrid hosts; on v2 a mkdir there is a cgroup, see host-leaks) names a plain directory made at /sys/fs/cgroup and a cgroup made in a controller, and reclaims both", async () => {
    const after = await snapshotHost();
    const leaks = findLeaks(before, after, "rlt-g2-none").filter((l) => l.name.includes("rlt-g2"));
    expect(leaks.map((l) => `${l.kind} ${l.name}`).sort()).toEqual([`cgroup ${PLAIN}`, ...(IN_CONTROLLER ? [`cgroup ${IN_CONTROLLER}`] : [])].sort());
    expect(await reclaimLeaks(leaks)).toEqual([]);
    expect(existsSync(PLAIN)).toBe(false);
    if (IN_CONTROLLER) expect(existsSync(IN_CONTROLLER)).toBe(false);
  });
});
