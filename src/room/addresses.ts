// Which address `room serve` shows students, and which ports it refuses. Pure: the interfaces and the routing
// table are passed in (serve.ts reads them from this machine; nothing is sent anywhere).

/**
 * Ports that browsers and Node's fetch (the runners) refuse to connect to (the Fetch standard's "bad ports"): a
 * room on one of them would answer nobody, not even the instructor's dashboard.
 */
export const BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514,
  515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export interface InterfaceAddress {
  iface: string;
  address: string;
}

/** The interfaces that carry a default route, from /proc/net/route's text (destination 00000000). */
export function defaultRouteInterfaces(procNetRoute: string): Set<string> {
  const found = new Set<string>();
  for (const line of procNetRoute.split("\n").slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (iface && destination === "00000000" && mask === "00000000") found.add(iface);
  }
  return found;
}

/**
 * This machine's addresses in the order students should try them: those of the interface with the default route
 * first (the Wi-Fi or cable the room shares), then the others (a docker0 or virbr0 bridge only this machine's
 * own VMs and containers reach), each group in the system's order.
 */
export function rankAddresses(addresses: InterfaceAddress[], defaultIfaces: Set<string>): string[] {
  const first = addresses.filter((a) => defaultIfaces.has(a.iface));
  const rest = addresses.filter((a) => !defaultIfaces.has(a.iface));
  return [...first, ...rest].map((a) => a.address);
}
