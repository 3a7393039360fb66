// The progress mark `rootlab list` shows per lab: ✓ done, ▶ in progress, · not started.
import type { Lab } from "../format/types.js";

export async function progressColumn(_lab: Lab): Promise<string> {
  return "·";
}
