/**
 * Where a webhook may go. A receiver URL is the caller's choice, so without a check the gateway
 * would POST into its own network (metadata services, databases, admin UIs). Refused unless the
 * host is in `webhooks.allowedHosts`: loopback, private (RFC 1918), link-local, CGNAT, multicast,
 * unspecified, reserved/documentation ranges, and on IPv6 ULA, link/site-local, IPv4-mapped,
 * -compatible and translation ranges (which would smuggle an IPv4 target past the IPv4 rules).
 *
 * Checked twice: when an endpoint or callback is registered, and again at every delivery on the
 * addresses DNS gives then — the connection is made to the very address that was checked (the
 * `lookup` handed to node:http), so a name that re-resolves to 127.0.0.1 (DNS rebinding) is
 * refused at the moment that matters.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'CGNAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.88.99.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::ffff:0:0', 96, 'ipv6', 'IPv4-mapped'],
  ['::', 96, 'ipv6', 'IPv4-compatible'],
  ['64:ff9b::', 96, 'ipv6', 'IPv4 translation'],
  ['64:ff9b:1::', 48, 'ipv6', 'IPv4 translation'],
  ['100::', 64, 'ipv6', 'discard'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['2002::', 16, 'ipv6', '6to4'],
  ['fc00::', 7, 'ipv6', 'unique local (ULA)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const LISTS = RANGES.map(([net, prefix, family, reason]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, family, reason };
});

/** Why an address may not be a webhook target, or null when it is a public address. */
export function forbiddenRange(address: string): string | null {
  const v = isIP(address);
  if (v === 0) return 'not an IP address';
  const family = v === 4 ? 'ipv4' : 'ipv6';
  for (const r of LISTS) if (r.family === family && r.list.check(address, family)) return r.reason;
  return null;
}

export class TargetRefused extends Error {
  constructor(
    message: string,
    readonly code: 'webhook_url_invalid' | 'webhook_target_refused',
  ) {
    super(message);
    this.name = 'TargetRefused';
  }
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** `allowedHosts`: host names (exact, case-insensitive), IP addresses and CIDR ranges. */
export class TargetPolicy {
  private readonly names = new Set<string>();
  private readonly nets = new BlockList();

  constructor(
    allowedHosts: readonly string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    for (const raw of allowedHosts) {
      const h = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
      const [net, prefix] = h.split('/');
      const v = isIP(net);
      if (v && prefix !== undefined) this.nets.addSubnet(net, Number(prefix), v === 4 ? 'ipv4' : 'ipv6');
      else if (v) this.nets.addAddress(net, v === 4 ? 'ipv4' : 'ipv6');
      else this.names.add(h);
    }
  }

  /** Syntax: absolute http(s) URL, no credentials, at most 2048 characters. */
  parse(raw: unknown): URL {
    if (typeof raw !== 'string' || raw.length > 2048) throw new TargetRefused('The webhook URL must be a string of at most 2048 characters', 'webhook_url_invalid');
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new TargetRefused('The webhook URL is not a valid absolute URL', 'webhook_url_invalid');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TargetRefused('The webhook URL must use http or https', 'webhook_url_invalid');
    if (u.username || u.password) throw new TargetRefused('The webhook URL must not carry credentials', 'webhook_url_invalid');
    return u;
  }

  private allowedAddress(address: string): boolean {
    const v = isIP(address);
    return v !== 0 && this.nets.check(address, v === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * The address to connect to for this URL: resolved now and checked. Throws TargetRefused when
   * the name does not resolve or resolves only to refused ranges (not allowlisted).
   */
  async check(raw: unknown): Promise<{ url: URL; address: string; family: 4 | 6 }> {
    const url = this.parse(raw);
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const hostAllowed = this.names.has(host) || this.allowedAddress(host);
    let addrs: Array<{ address: string; family: number }>;
    if (isIP(host)) addrs = [{ address: host, family: isIP(host) }];
    else {
      try {
        addrs = await this.resolve(host);
      } catch (err) {
        throw new TargetRefused(`The webhook host ${host.slice(0, 100)} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'webhook_target_refused');
      }
    }
    if (!addrs.length) throw new TargetRefused(`The webhook host ${host.slice(0, 100)} has no address`, 'webhook_target_refused');
    // Every address must pass: a name that mixes public and private answers is not trusted.
    for (const a of addrs) {
      const why = forbiddenRange(a.address);
      if (why && !hostAllowed && !this.allowedAddress(a.address)) {
        throw new TargetRefused(`The webhook host ${host.slice(0, 100)} resolves to a ${why} address (${a.address}); add it to webhooks.allowedHosts to allow it`, 'webhook_target_refused');
      }
    }
    return { url, address: addrs[0].address, family: addrs[0].family === 6 ? 6 : 4 };
  }
}
