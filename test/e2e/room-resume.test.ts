// A student quits after step 1 and starts the lab again: rootlab re-creates step 1 and goes on. The room must
// show every step done (a new-user trial saw 2/3, the re-created step "working" forever). Real CLI in a PTY,
// the room on loopback.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { serveRoom, roomJson } from "../helpers/room.js";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { Screen } from "./guided-driver.js";

const CMD = { run: 0, quit: 4 };
const dir = mkdtempSync(join(tmpdir(), "rlt-room-resume-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeAsRoot("the room after a resume", () => {
  it("steps re-created on resume count as done", async () => {
    const room = await serveRoom(["--port", "0", "--data", join(dir, "room.jsonl")]);
    const env = { ROOTLAB_DISPOSABLE: "1", ROOTLAB_LABS: join(ROOT, "test/fixtures/guided"), XDG_STATE_HOME: dir, HOME: dir };
    const args = ["start", "rlt8-netns", "--room", room.join, "--name", "Ida"];
    try {
      const first = new Screen(args, env);
      try {
        await first.waitFor("Step 1/3");
        await first.waitFor("? What now?");
        first.choose(CMD.run);
        await first.waitFor("Step 1 done");
        await first.nextStep("Step 2/3");
        await first.waitFor("? What now?");
        first.choose(CMD.quit);
        expect((await first.exited).exitCode).toBe(0);
      } finally {
        await first.stop();
      }
      const again = new Screen(args, env);
      try {
        await again.waitFor("Re-creating the state of step 1");
        await again.waitFor("Step 2/3");
        for (const n of [2, 3]) {
          await again.waitFor("? What now?");
          again.choose(CMD.run);
          await again.waitFor(`Step ${n} done`);
          if (n === 2) await again.nextStep("Step 3/3");
        }
        expect((await again.exited).exitCode).toBe(0);
      } finally {
        await again.stop();
      }
      // A finished run leaves the room a few seconds to take what is left: it is there when the run returns.
      const lab = (await roomJson(room)).students.find((s) => s.name === "Ida")!.labs.find((l) => l.id === "rlt8-netns")!;
      expect(lab.steps.map((s) => s.status)).toEqual(["done", "done", "done"]);
      expect(lab.stepsDone).toBe(3);
    } finally {
      await room.stop();
    }
  });
});
