// A veth whose peer sat in a network namespace that was just let go outlives it for a moment: the kernel destroys
// a namespace asynchronously (cleanup_net, on a workqueue, after its last process and mount are gone), and only
// then unregisters its devices and, with each veth, its peer here. A leak check reading the links in that moment
// would blame the lab for a link the kernel is about to remove (seen in CI: `ip netns del` in a cleanup, the
// session inside that namespace closed, and the host end still listed a few milliseconds later).
import { runCommand } from "./run.js";

interface LinkJson {
  ifname: string;
  link_netnsid?: number;
}

/** Of NAMES, the links still present whose peer lives in another network namespace. */
async function peeredElsewhere(names: Set<string>): Promise<string[] | null> {
  const r = await runCommand("ip", ["-j", "link", "show"], { timeoutMs: 10_000 });
  if (!r.ok) return null;
  try {
    const links = JSON.parse(r.stdout) as LinkJson[];
    return links.filter((l) => names.has(l.ifname) && l.link_netnsid !== undefined).map((l) => l.ifname);
  } catch {
    return null;
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits (at most WITHIN_MS) until none of NAMES is a link whose peer is in another namespace, which is what a
 * namespace being destroyed leaves until the kernel gets to it. There is no event for "cleanup_net finished" that
 * a program can wait on, so this reads the links again until the condition holds or the time is up. Returns at
 * once when no such link is there, so a run that leaked nothing pays nothing. A link still there afterwards is
 * really left behind (its peer's namespace is alive, and is reported itself).
 */
export async function awaitPeerTeardown(names: string[], withinMs = 5000): Promise<void> {
  const wanted = new Set(names);
  const deadline = Date.now() + withinMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const left = await peeredElsewhere(wanted);
    if (left === null || left.length === 0 || Date.now() >= deadline) return;
    await pause(delay);
  }
}
