// PLACEHOLDER — replaced by the module's owner. Not a feature.
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";

export const command: Command = {
  name: "new",
  summary: "",
  help: "rootlab new",
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError("rootlab new is not available in this build yet.");
  },
};
