// The few lab-vm.yml values rootlab itself needs (the box name, the provider). Vagrant validates the file
// (provision/lab_vm_config.rb): here a missing or unreadable value just falls back to the default.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { VAGRANT_DIR } from "./vagrant.js";

export const DEFAULT_BOX = "debian/bookworm64";

export function settingsPath(): string {
  const named = process.env.ROOTLAB_VM_CONFIG;
  return named ? resolve(named) : join(VAGRANT_DIR, "lab-vm.yml");
}

export interface VmSettingsView {
  box: string;
  provider?: string;
}

export function readVmSettings(path = settingsPath()): VmSettingsView {
  let data: unknown;
  try {
    data = parse(readFileSync(path, "utf8"));
  } catch {
    return { box: DEFAULT_BOX };
  }
  const obj = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  const box = typeof obj.box === "string" && obj.box.trim() ? obj.box : DEFAULT_BOX;
  const provider = process.env.VAGRANT_DEFAULT_PROVIDER || (typeof obj.provider === "string" ? obj.provider : undefined);
  return provider ? { box, provider } : { box };
}
