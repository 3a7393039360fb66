// PLACEHOLDER — replaced by the module's owner. Not a feature.
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";

export const command: Command = {
  name: "lint",
  summary: "",
  help: "rootlab lint",
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError("rootlab lint is not available in this build yet.");
  },
};
