// PLACEHOLDER — replaced by the module's owner. Not a feature.
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";

export const command: Command = {
  name: "doctor",
  summary: "",
  help: "rootlab doctor",
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError("rootlab doctor is not available in this build yet.");
  },
};
