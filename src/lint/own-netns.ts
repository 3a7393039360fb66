// Which network namespace names are the lab's own (`ip netns add NAME`, `unshare --net=/run/netns/NAME`, a bind
// of a lab process's namespace) and which a lab points at the host's (`ip netns attach NAME 1`, a bind of
// /proc/1/ns/net or its own shell's): `ip netns exec NAME` is isolated only in the first.
import { unwrap } from "./unwrap.js";
import { ipArgs } from "./ip-args.js";
import { HOST, SHELL_OWN_PID } from "./isolation.js";

/** Learns from one command's words (variables resolved). */
export function learnNetns(texts: string[], known: boolean[], own: Set<string>, hostNames: Set<string>): void {
  const inner = unwrap(texts, known, HOST).words;
  const [object, action, name, pid] = (inner[0] ?? "").replace(/^.*\//, "") === "ip" ? ipArgs(inner) : [];
  // `ip netns attach NAME 1` names the host's own namespace (PID 1): not the lab's.
  if (object === "netns" && name !== undefined && (action === "add" || (action === "attach" && !/^\d+$/.test(pid ?? "") && !SHELL_OWN_PID.test(pid ?? "")))) own.add(name);
  // `unshare --net=/run/netns/NAME`, `mount --bind /proc/PID/ns/net /run/netns/NAME` (not PID 1: the host's).
  if ((inner[0] ?? "").replace(/^.*\//, "") === "unshare") {
    for (const w of inner) {
      const m = /^--net=\/run\/netns\/(.+)$/.exec(w);
      if (m) own.add(m[1] as string);
    }
  }
  const bind = texts.findIndex((t) => /^\/proc\/.+\/ns\/net$/.test(t));
  const to = /^\/(var\/)?run\/netns\/(.+)$/.exec(texts[bind + 1] ?? "")?.[2];
  if (bind > 0 && to !== undefined) (/^\/proc\/(1|self|thread-self|\$\$|\$\{\$\}|\$PPID|\$BASHPID|\$\{?ROOTLAB_SESSION_HOST_PID\}?)\//.test(texts[bind] ?? "") ? hostNames : own).add(to);
  // `ip netns attach NAME 1`: that name is the host's namespace, also where `ip netns add NAME` made it first.
  if (object === "netns" && action === "attach" && name !== undefined && (/^\d+$/.test(pid ?? "") || SHELL_OWN_PID.test(pid ?? ""))) hostNames.add(name);
}
