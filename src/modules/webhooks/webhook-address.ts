import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * The SSRF guard: a webhook may only reach the public internet. Checked when a subscription is created
 * and again at every delivery, on the very address the connection then uses (the resolver's answer
 * is checked and pinned), so a name that resolves to a public address at creation and to 127.0.0.1
 * later (DNS rebinding) is refused at delivery.
 */

/** Addresses that are not the public internet (RFC 6890 special-purpose registries, IPv4 and IPv6). */
const notPublic = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  notPublic.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128],
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (embeds any IPv4 address)
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  notPublic.addSubnet(network, prefix, "ipv6");
}

/** Whether an address is on the public internet (IPv4-mapped and -compatible IPv6 are judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !notPublic.check(address, "ipv4");
  const embedded = embeddedIpv4(address);
  if (embedded) return isPublicAddress(embedded);
  return !notPublic.check(address, "ipv6");
}

/** The IPv4 address inside ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d (NAT64) and their hex spellings. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

export interface AddressRules {
  /** WEBHOOK_ALLOW_PRIVATE: http and loopback/private addresses are allowed (tests, development) */
  allowPrivate: boolean;
}

export class WebhookAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookAddressError";
  }
}

/** The URL's form: https (or http when private addresses are allowed), no credentials, a host. */
export function parseWebhookUrl(text: string, rules: AddressRules): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookAddressError("is not a valid URL");
  }
  const schemes = rules.allowPrivate ? ["https:", "http:"] : ["https:"];
  if (!schemes.includes(url.protocol)) throw new WebhookAddressError(rules.allowPrivate ? "must be an http or https URL" : "must be an https URL");
  if (url.username || url.password) throw new WebhookAddressError("must not carry a user name or password");
  if (!url.hostname) throw new WebhookAddressError("needs a host name");
  return url;
}

/** The host name as the resolver takes it (IPv6 literals lose their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

const RESOLVE_TIMEOUT_MS = 5_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolve: Resolve = async (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * The addresses a host may be reached at: every address it resolves to must be allowed (one private
 * answer among public ones refuses the host, so no round-robin answer can slip one in).
 */
export async function allowedAddresses(host: string, rules: AddressRules, resolve: Resolve = systemResolve): Promise<{ address: string; family: number }[]> {
  let answers: { address: string; family: number }[];
  try {
    answers = isIP(host) ? [{ address: host, family: isIP(host) }] : await withTimeout(resolve(host), RESOLVE_TIMEOUT_MS);
  } catch {
    throw new WebhookAddressError("its host name does not resolve");
  }
  if (answers.length === 0) throw new WebhookAddressError("its host name does not resolve");
  if (!rules.allowPrivate && answers.some((a) => !isPublicAddress(a.address))) {
    throw new WebhookAddressError("resolves to an address that is not on the public internet");
  }
  return answers;
}

/** Checks a subscription's URL now: its form and where its host resolves. */
export async function checkWebhookUrl(text: string, rules: AddressRules, resolve: Resolve = systemResolve): Promise<URL> {
  const url = parseWebhookUrl(text, rules);
  await allowedAddresses(hostOf(url), rules, resolve);
  return url;
}
