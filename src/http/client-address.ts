import { BlockList, isIP } from "node:net";

/** TRUSTED_PROXIES ("10.0.0.0/8,::1/128"; bare addresses too) as a BlockList; empty: no proxy is trusted. */
export function trustedProxies(list: string): BlockList {
  const trusted = new BlockList();
  for (const entry of list.split(",").map((e) => e.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  return trusted;
}

/** "::ffff:10.1.2.3" (an IPv4 peer on a dual-stack socket) → "10.1.2.3". */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Per list, the answers so far (BlockList.check parses the address each time: ~2 % of a catalog request). */
const trustedAnswers = new WeakMap<BlockList, Map<string, boolean>>();
const MAX_REMEMBERED = 1024;

function isTrusted(trusted: BlockList, address: string): boolean {
  let answers = trustedAnswers.get(trusted);
  if (!answers) trustedAnswers.set(trusted, (answers = new Map()));
  let answer = answers.get(address);
  if (answer === undefined) {
    const family = isIP(address);
    answer = family !== 0 && trusted.check(address, family === 6 ? "ipv6" : "ipv4");
    if (answers.size >= MAX_REMEMBERED) answers.clear();
    answers.set(address, answer);
  }
  return answer;
}

/**
 * The client's address for budgets and login throttling. `X-Forwarded-For` counts only when the
 * peer is a trusted proxy; then the rightmost address that is not a trusted proxy is the client
 * (entries left of it are whatever the client wrote). A malformed entry stops the walk at the
 * trusted hop that passed it on.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let client = plain(peer ?? "unknown");
  if (!isTrusted(trusted, client) || forwardedFor === undefined) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map((hop) => plain(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return client;
}
