import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { badRequest } from "@/lib/errors";

/*
 * Where a webhook may go: a public https endpoint. The host is resolved and every address it resolves to must be
 * public, at save and again before every send; the connection is then pinned to the address that was checked, so a
 * DNS answer that changes between the check and the connection (rebinding) cannot redirect it.
 */

type Family = "ipv4" | "ipv6";

const REFUSED: [reason: string, network: string, prefix: number, family: Family][] = [
  ["unspecified", "0.0.0.0", 8, "ipv4"],
  ["private", "10.0.0.0", 8, "ipv4"],
  ["shared (carrier-grade NAT)", "100.64.0.0", 10, "ipv4"],
  ["loopback", "127.0.0.0", 8, "ipv4"],
  ["link-local", "169.254.0.0", 16, "ipv4"],
  ["private", "172.16.0.0", 12, "ipv4"],
  ["IETF protocol", "192.0.0.0", 24, "ipv4"],
  ["private", "192.168.0.0", 16, "ipv4"],
  ["benchmarking", "198.18.0.0", 15, "ipv4"],
  ["multicast", "224.0.0.0", 4, "ipv4"],
  ["reserved", "240.0.0.0", 4, "ipv4"],
  ["unspecified", "::", 128, "ipv6"],
  ["loopback", "::1", 128, "ipv6"],
  // An IPv4 address wrapped in IPv6 (::ffff:169.254.169.254) reaches the IPv4 host: refused whatever it wraps.
  ["IPv4-mapped", "::ffff:0:0", 96, "ipv6"],
  ["IPv4-compatible", "::", 96, "ipv6"],
  ["NAT64", "64:ff9b::", 96, "ipv6"],
  ["6to4", "2002::", 16, "ipv6"],
  ["Teredo", "2001::", 32, "ipv6"],
  ["unique-local", "fc00::", 7, "ipv6"],
  ["link-local", "fe80::", 10, "ipv6"],
  ["site-local", "fec0::", 10, "ipv6"],
  ["multicast", "ff00::", 8, "ipv6"],
];

const ranges = REFUSED.map(([reason, network, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { reason, family, list };
});

/** Why a webhook may not go to this IP address ("loopback", "private", …), or null for a public address. */
export function refusedAddress(address: string): string | null {
  const version = isIP(address);
  if (!version) return "not an IP";
  const family: Family = version === 4 ? "ipv4" : "ipv6";
  return ranges.find((r) => r.family === family && r.list.check(address, family))?.reason ?? null;
}

/** TL_WEBHOOK_ALLOW_LOOPBACK=1: for development only, a webhook may go to this machine (http or https). */
export function loopbackWebhooksAllowed(): boolean {
  return process.env.TL_WEBHOOK_ALLOW_LOOPBACK === "1";
}

export interface WebhookTarget {
  url: URL;
  /** The checked address the connection is pinned to. */
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/** Checks a webhook URL and resolves its host: the address to connect to, or a 400 that says what is wrong. */
export async function resolveWebhookTarget(
  raw: string,
  resolve: Resolver = systemResolver,
): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest("url: expected an https:// URL");
  }
  const devLoopback = loopbackWebhooksAllowed();
  if (url.protocol !== "https:" && !(url.protocol === "http:" && devLoopback))
    throw badRequest("url: expected an https:// URL");
  if (url.username || url.password) throw badRequest("url: credentials in the URL are not accepted");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw badRequest(`url: the host ${host} does not resolve`);
    }
  }
  for (const { address } of addresses) {
    const reason = refusedAddress(address);
    if (reason && !(reason === "loopback" && devLoopback)) {
      const what = address === host ? `${host} is` : `${host} resolves to ${address},`;
      // e.g. "url: 169.254.169.254 is in the link-local range", "url: hooks.example resolves to 10.1.2.3, in the private range"
      throw badRequest(`url: ${what} in the ${reason} range: webhooks go to public addresses only`);
    }
  }
  if (url.protocol === "http:" && addresses.some(({ address }) => refusedAddress(address) !== "loopback")) {
    throw badRequest(
      "url: http:// is accepted only for this machine in development (TL_WEBHOOK_ALLOW_LOOPBACK=1)",
    );
  }
  const [first] = addresses;
  if (!first) throw badRequest(`url: the host ${host} does not resolve`);
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
