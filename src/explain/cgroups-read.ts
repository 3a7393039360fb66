// The cgroups a lab made and the limits written in them, on cgroup v2 and on v1's per-controller hierarchies.
// rootlab's own cgroups (the systemd-nspawn shim's rootlab-nspawn-PID and what nspawn makes below it) never show.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { labNamesObject } from "../format/mentions.js";
import type { CgroupView, ProcessRef } from "./types.js";

const ROOT = "/sys/fs/cgroup";
const DEPTH = 4;
const LIMIT_FILES = ["memory.max", "memory.high", "memory.swap.max", "pids.max", "cpu.max", "cpu.weight", "memory.limit_in_bytes", "cpu.cfs_quota_us", "cpuset.cpus"];

function dirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/** Every cgroup folder (to the depth labs use), rootlab's scaffolding left out. */
export function listCgroups(): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of dirs(dir)) {
      if (name.startsWith("rootlab-nspawn-")) continue;
      const path = join(dir, name);
      out.push(path);
      if (depth < DEPTH) walk(path, depth + 1);
    }
  };
  const unified = (() => {
    try {
      readFileSync(join(ROOT, "cgroup.controllers"));
      return true;
    } catch {
      return false;
    }
  })();
  if (unified) walk(ROOT, 1);
  else for (const h of dirs(ROOT)) walk(join(ROOT, h), 1);
  return out;
}

function readLimit(path: string, file: string): string | undefined {
  try {
    const v = readFileSync(join(path, file), "utf8").trim();
    // Defaults say nothing: "max", v1's huge "no limit" number, v2's default weight, an unset quota.
    if (!v || v === "max" || v === "max 100000" || v === "-1" || (file === "cpu.weight" && v === "100") || /^9223372036854\d+$/.test(v)) return undefined;
    return v;
  } catch {
    return undefined;
  }
}

/** The processes in a cgroup (cgroup.procs), each with what it runs now. */
function procsOf(path: string): ProcessRef[] {
  let text = "";
  try {
    text = readFileSync(join(path, "cgroup.procs"), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => /^\d+$/.test(l))
    .map((l) => {
      const pid = Number(l);
      try {
        return { pid, command: readFileSync(`/proc/${pid}/comm`, "utf8").trim() };
      } catch {
        return { pid, command: "?" };
      }
    });
}

/**
 * Cgroups that are not in the baseline, each with the limits written in it and the processes in it. With the lab's
 * text, only those it names (format/mentions.ts): on a real machine others come and go all the time (systemd makes
 * one for each login, service and timer; a container agent one for each command it runs), and are not the lab's.
 */
export function readCgroupLimits(baseline: Set<string> | undefined, labSource?: string): CgroupView[] {
  if (!baseline) return [];
  return listCgroups()
    .filter((path) => !baseline.has(path) && (labSource === undefined || labNamesObject(labSource, path.slice(ROOT.length + 1))))
    .map((path) => {
      const limits: Record<string, string> = {};
      for (const file of LIMIT_FILES) {
        const v = readLimit(path, file);
        if (v !== undefined) limits[file] = v;
      }
      return { path, limits, procs: procsOf(path) };
    });
}
