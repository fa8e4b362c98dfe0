import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { DomainError } from '../errors.ts';
import {
  checkOutbound,
  connectOptions,
  installationOutboundPolicy,
  isInternalAddress,
  type OutboundPolicy,
} from './outbound-fence.ts';

const strict: OutboundPolicy = { allow: [], ownPorts: [5432, 8080, 3000] };
const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return (err as DomainError).code;
}

describe('outbound fence', () => {
  it('knows the internal ranges, IPv4 hidden in IPv6 included', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::7f00:1',
      'not-an-address',
    ])
      expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8'])
      expect(isInternalAddress(a), a).toBe(false);
  });

  it('refuses loopback, private and link-local addresses, typed or resolved', async () => {
    expect(await refusal(checkOutbound(strict, '127.0.0.1', 993))).toBe('OUTBOUND_REFUSED');
    expect(await refusal(checkOutbound(strict, '[::1]', 993))).toBe('OUTBOUND_REFUSED');
    expect(await refusal(checkOutbound(strict, '169.254.169.254', 143))).toBe('OUTBOUND_REFUSED');
    expect(await refusal(checkOutbound(strict, 'imap.intern.example', 993, resolvesTo('10.0.0.7')))).toBe(
      'OUTBOUND_REFUSED',
    );
    // One internal address among public ones is enough: any of them could be the one connected to.
    expect(
      await refusal(checkOutbound(strict, 'mixt.example', 993, resolvesTo('93.184.216.34', '127.0.0.1'))),
    ).toBe('OUTBOUND_REFUSED');
  });

  it("refuses the installation's own ports even on a public address", async () => {
    const err = await checkOutbound(strict, '93.184.216.34', 5432).catch((e: unknown) => e as DomainError);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('OUTBOUND_REFUSED');
    expect((err as DomainError).message).toContain('portul este folosit de această instalație');
  });

  it('connects to the address it checked, with the name kept for TLS (no second lookup to rebind)', async () => {
    let lookups = 0;
    const target = await checkOutbound(strict, 'IMAP.Furnizor.example', 993, async () => {
      lookups++;
      return [{ address: '93.184.216.34', family: 4 }];
    });
    expect(target).toEqual({ address: '93.184.216.34', servername: 'imap.furnizor.example' });
    expect(connectOptions(target)).toEqual({ host: '93.184.216.34', servername: 'imap.furnizor.example' });
    expect(lookups).toBe(1);
    expect(connectOptions({ address: '93.184.216.34', servername: '93.184.216.34' })).toEqual({
      host: '93.184.216.34',
    });
  });

  it('lets through what the operator allowed: a host on any port, or one host:port', async () => {
    const policy: OutboundPolicy = { allow: ['mail.intern.example', '127.0.0.1:1143'], ownPorts: [1143] };
    expect(await checkOutbound(policy, '127.0.0.1', 1143)).toEqual({
      address: '127.0.0.1',
      servername: '127.0.0.1',
    });
    expect(await refusal(checkOutbound(policy, '127.0.0.1', 5432))).toBe('OUTBOUND_REFUSED');
    const lookup = resolvesTo('10.0.0.7');
    expect((await checkOutbound(policy, 'MAIL.intern.example', 993, lookup)).servername).toBe(
      'mail.intern.example',
    );
  });

  it('a name that does not resolve is unreachable, not refused', async () => {
    const code = await refusal(
      checkOutbound(strict, 'nu-exista.example', 993, async () => {
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      }),
    );
    expect(code).toBe('MAILBOX_UNREACHABLE');
  });

  it("builds the installation's policy from its configuration", () => {
    const config = loadConfig({
      PORT: '3100',
      OUTBOUND_ALLOW_HOSTS: 'Mail.Intern.example, 10.0.0.9:993',
      DATABASE_URL: 'postgres://app@db.intern:6432/reclamatii',
      ENGINE_URL: 'http://engine.intern:8080/engine-rest',
    });
    const policy = installationOutboundPolicy(config, { allow: ['127.0.0.1:2143'] });
    expect(policy.allow).toEqual(['mail.intern.example', '10.0.0.9:993', '127.0.0.1:2143']);
    for (const port of [3100, 6432, 8080, 54329, 18080, 2525, 1143]) expect(policy.ownPorts).toContain(port);
  });

  it('keeps a tenant off the embedded mail server unless the operator names it', async () => {
    // npm start's policy: the embedded IMAP server holds every tenant's mail and takes any password.
    const config = loadConfig({ EMBEDDED_IMAP_PORT: '1143' });
    const policy = installationOutboundPolicy(config);
    expect(await refusal(checkOutbound(policy, '127.0.0.1', 1143))).toBe('OUTBOUND_REFUSED');
    expect(await refusal(checkOutbound(policy, 'localhost', 1143, resolvesTo('127.0.0.1')))).toBe(
      'OUTBOUND_REFUSED',
    );
    const allowed = installationOutboundPolicy(
      loadConfig({ EMBEDDED_IMAP_PORT: '1143', OUTBOUND_ALLOW_HOSTS: '127.0.0.1:1143' }),
    );
    expect(await checkOutbound(allowed, '127.0.0.1', 1143)).toEqual({
      address: '127.0.0.1',
      servername: '127.0.0.1',
    });
  });
});
