import { defineConfig } from "vitest/config";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Tests never go online: the Alpine download comes from the shared fixture (../shared beside the checkout)
// unless a test serves it itself.
const ALPINE = fileURLToPath(new URL("../shared/fixtures/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", import.meta.url));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Many tests create namespaces, links and mounts as root: one file at a time so they never collide.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    // Without ../shared (a user's clone) the variable stays unset: labs that need Alpine then say they cannot run.
    env: existsSync(ALPINE) ? { ROOTLAB_ALPINE_URL: `file://${ALPINE}` } : {},
  },
});
