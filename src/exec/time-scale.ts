// The one place lab time limits (a block's timeout=, a check's retry=) are stretched for slow machines. Under
// QEMU's software emulation (TCG) creating a process or a namespace is ~25x slower than on hardware, so limits
// tuned where labs are written would fail there for a student who did everything right.
//   ROOTLAB_TIME_SCALE=N  multiply every limit by N (1-100); 1 turns the detection off
//   otherwise             N = 20 when the CPU is QEMU's emulated model (the lab box's "qemu64"), else 1
import { readFileSync } from "node:fs";

export const EMULATED_SCALE = 20;

/** Pure: the factor for an environment value and /proc/cpuinfo's text. */
export function timeScaleFor(envValue: string | undefined, cpuinfo: string): number {
  if (envValue !== undefined && envValue.trim() !== "") {
    const n = Number(envValue);
    if (Number.isFinite(n) && n >= 1 && n <= 100) return n;
    throw new Error(`ROOTLAB_TIME_SCALE must be a number from 1 to 100 (how many times longer labs may take), got "${envValue}"`);
  }
  return /^model name\s*:\s*QEMU Virtual CPU/m.test(cpuinfo) ? EMULATED_SCALE : 1;
}

let cached: number | undefined;

export function timeScale(): number {
  if (cached === undefined) {
    let cpuinfo = "";
    try {
      cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      // no /proc/cpuinfo: no emulation detected
    }
    cached = timeScaleFor(process.env.ROOTLAB_TIME_SCALE, cpuinfo);
  }
  return cached;
}

export function scaled(ms: number): number {
  return Math.round(ms * timeScale());
}
