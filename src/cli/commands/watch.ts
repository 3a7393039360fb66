// PLACEHOLDER — replaced by the module's owner. Not a feature.
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";

export const command: Command = {
  name: "watch",
  summary: "",
  help: "rootlab watch",
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError("rootlab watch is not available in this build yet.");
  },
};
