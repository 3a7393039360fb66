// The system call numbers the block watchdog (./block-watchdog.ts) reads in /proc/PID/syscall to tell a shell
// waiting for its next line, per CPU architecture as Node names it (process.arch). Pure. The numbers differ per
// architecture (x86_64's read(2) is 0, arm64's is 63); a wrong table would find a shell "waiting" while it runs a
// block, or never, so an architecture not listed here gets no table and the watchdog draws no conclusion (a block
// that skipped its end then ends at its timeout instead of within two seconds).

/** The calls a shell waits in for its terminal: read(2) on fd 0, and poll(2)/ppoll(2) on one fd (busybox ash). */
export interface WaitSyscalls {
  read: number;
  /** poll(2): architectures without it (arm64, riscv64, loong64) poll through ppoll(2). */
  poll?: number;
  ppoll: number;
}

/** From each architecture's syscall table in the kernel (arch/…/syscall*.tbl; asm-generic/unistd.h for arm64 and later). */
export const WAIT_SYSCALLS: Readonly<Partial<Record<NodeJS.Architecture, WaitSyscalls>>> = {
  x64: { read: 0, poll: 7, ppoll: 271 },
  ia32: { read: 3, poll: 168, ppoll: 309 },
  arm: { read: 3, poll: 168, ppoll: 336 },
  // asm-generic numbering: no poll(2); glibc and musl implement poll() with ppoll().
  arm64: { read: 63, ppoll: 73 },
  riscv64: { read: 63, ppoll: 73 },
  loong64: { read: 63, ppoll: 73 },
};

/** The table for an architecture, or undefined when rootlab does not know its numbers. */
export function waitSyscalls(arch: string = process.arch): WaitSyscalls | undefined {
  return (WAIT_SYSCALLS as Record<string, WaitSyscalls | undefined>)[arch];
}
