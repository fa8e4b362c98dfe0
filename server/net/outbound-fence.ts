import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.ts';
import { DomainError } from '../errors.ts';

/**
 * The fence around connections a tenant chooses the destination of (its mailbox server): a tenant admin must not
 * be able to make this installation connect to its own insides (the engine, PostgreSQL, a cloud metadata address,
 * other machines on the private network). Every address a name resolves to is checked, and the caller connects to
 * the address that was checked (with the name kept for TLS), so a DNS answer that changes between check and
 * connect (rebinding) cannot slip through.
 *
 * Allowed anyway: what the platform operator lists in OUTBOUND_ALLOW_HOSTS (`host` or `host:port`, e.g. a mail
 * server on the supplier's private network) and what the installation adds for itself (the embedded demo mail
 * server on 127.0.0.1). Operator-configured connections (SMTP_URL, INTAKE_CATCH_ALL_URL) are not fenced: the
 * operator chose them.
 */
export interface OutboundPolicy {
  /** `host` (any port) or `host:port`, lower case; IPv6 as `[::1]:993`. */
  allow: string[];
  /** Ports this installation listens on or uses (its HTTP port, PostgreSQL, the engine, the embedded servers). */
  ownPorts: number[];
}

export interface OutboundTarget {
  /** The address to connect to: the one checked. */
  address: string;
  /** The name the admin typed: for TLS (SNI and the certificate check). */
  servername: string;
}

type Lookup = (host: string) => Promise<Array<{ address: string; family: number }>>;
const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Addresses no tenant-chosen connection may reach: not the public internet. */
const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata at 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['2002::', 16], // 6to4: likewise
] as const)
  internal.addSubnet(net, bits, 'ipv6');

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (`::ffff:127.0.0.1`), else null. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const last = lower.slice(lower.lastIndexOf(':') + 1);
  if ((lower.startsWith('::ffff:') || lower.startsWith('::')) && isIP(last) === 4) return last;
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!m) return null;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse rather than guess
  const v4 = embeddedIpv4(address);
  if (v4) return internal.check(v4, 'ipv4');
  return internal.check(address, 'ipv6');
}

function bare(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
const hostPort = (host: string, port: number) => (isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`);

function allowed(policy: OutboundPolicy, host: string, port: number): boolean {
  return policy.allow.includes(host) || policy.allow.includes(hostPort(host, port));
}

function refuse(host: string, port: number, why: string): never {
  throw new DomainError(
    'OUTBOUND_REFUSED',
    { host, port },
    `Conexiunea la ${host}:${port} nu este permisă: ${why}. Folosiți serverul public al furnizorului de e-mail; un server din rețeaua internă poate fi permis doar de operatorul platformei.`,
  );
}

/**
 * Where to connect for `host:port`, once checked: the operator's allowed hosts as they are, anything else only when
 * the port is not one of the installation's own and every address the name resolves to is public.
 */
export async function checkOutbound(
  policy: OutboundPolicy,
  rawHost: string,
  port: number,
  lookup: Lookup = systemLookup,
): Promise<OutboundTarget> {
  const host = bare(rawHost);
  if (allowed(policy, host, port)) return { address: host, servername: host };
  if (policy.ownPorts.includes(port)) refuse(host, port, 'portul este folosit de această instalație');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host)).map((a) => a.address);
    } catch {
      throw new DomainError('MAILBOX_UNREACHABLE', {}, `Numele serverului ${host} nu poate fi găsit.`);
    }
  }
  if (!addresses.length)
    throw new DomainError('MAILBOX_UNREACHABLE', {}, `Numele serverului ${host} nu poate fi găsit.`);
  if (addresses.some(isInternalAddress))
    refuse(host, port, 'adresa este internă (loopback, rețea privată sau link-local)');
  return { address: addresses[0]!, servername: host };
}

/** The policy of this installation: the operator's list plus what it adds itself, and the ports it uses. */
export function outboundPolicy(opts: {
  allow: string[];
  /** URLs of the services this installation uses (database, engine): their ports are its own. */
  serviceUrls?: Array<string | undefined>;
  ports?: number[];
}): OutboundPolicy {
  const ownPorts = new Set(opts.ports ?? []);
  for (const url of opts.serviceUrls ?? []) {
    if (!url) continue;
    try {
      const u = new URL(url);
      const port =
        Number(u.port) || { 'postgres:': 5432, 'postgresql:': 5432, 'http:': 80, 'https:': 443 }[u.protocol];
      if (port) ownPorts.add(port);
    } catch {
      // not a URL: nothing to add
    }
  }
  return { allow: opts.allow.map((h) => h.toLowerCase()), ownPorts: [...ownPorts] };
}

/** ImapFlow's `host` and `servername` for a checked target: the checked address, the typed name for TLS. */
export function connectOptions(target: OutboundTarget): { host: string; servername?: string } {
  return isIP(target.servername)
    ? { host: target.address }
    : { host: target.address, servername: target.servername };
}

/**
 * This installation's policy: the operator's OUTBOUND_ALLOW_HOSTS plus `extraAllow` (what the process adds for
 * itself: the embedded mail server), and as own ports its HTTP port, the embedded services' ports and those of the
 * database, engine and SMTP it uses.
 */
export function installationOutboundPolicy(
  config: Config,
  extra: { allow?: string[]; serviceUrls?: Array<string | undefined> } = {},
): OutboundPolicy {
  return outboundPolicy({
    allow: [...config.outboundAllowHosts, ...(extra.allow ?? [])],
    serviceUrls: [
      config.databaseUrl,
      config.engineUrl,
      config.engineDatabaseUrl,
      config.smtpUrl,
      ...(extra.serviceUrls ?? []),
    ],
    ports: [config.port, ...Object.values(config.embeddedPorts)],
  });
}
