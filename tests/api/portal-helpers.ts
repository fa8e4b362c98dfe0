import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { readMailbox } from '../helpers/mailbox.ts';
import { type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

/** A fresh address per test, so rate limits and mailboxes never mix between tests. */
export function freshEmail(prefix = 'consumator'): string {
  return `${prefix}.${randomBytes(4).toString('hex')}@portal.test`;
}

/** A fresh client address (the per-IP limit is per address). */
export function freshIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export function requestCode(t: TestContext, email: string, ip = freshIp(), tenant = 'DEMO') {
  return t.app.inject({
    method: 'POST',
    url: `/api/portal/suppliers/${tenant}/login-codes`,
    payload: { email },
    remoteAddress: ip,
  });
}

export function verifyCode(t: TestContext, email: string, code: string, tenant = 'DEMO') {
  return t.app.inject({
    method: 'POST',
    url: `/api/portal/suppliers/${tenant}/sessions`,
    payload: { email, code },
    remoteAddress: freshIp(),
  });
}

/** The codes in the address's real mailbox (read over IMAP), oldest first. */
export async function codesInMailbox(email: string): Promise<string[]> {
  const mails = await readMailbox(email);
  return mails
    .map((m) => /portal: (\d{6})$/.exec(m.subject ?? '')?.[1])
    .filter((c): c is string => c !== undefined);
}

/** Waits for the n-th code to arrive and returns it. */
export async function waitForCode(email: string, n = 1): Promise<string> {
  const codes = await waitFor(async () => {
    const c = await codesInMailbox(email);
    return c.length >= n ? c : null;
  }, 20_000);
  return codes[n - 1]!;
}

/** The whole login: ask for a code, read it from the mailbox, enter it. Returns a Bearer header. */
export async function loginConsumer(t: TestContext, email = freshEmail(), tenant = 'DEMO') {
  // A shared address (the demo consumer's) may already hold codes other test files asked for: wait for a new one.
  const before = (await codesInMailbox(email)).length;
  const r = await requestCode(t, email, freshIp(), tenant);
  expect(r.statusCode).toBe(202);
  const code = await waitForCode(email, before + 1);
  const s = await verifyCode(t, email, code, tenant);
  expect(s.statusCode).toBe(201);
  return { authorization: `Bearer ${s.json<{ token: string }>().token}`, email };
}

export const MARIA = {
  customerCode: '1000234567',
  placeCode: 'RO005E512345678',
  contractNumber: 'E-55120/2019',
  meterSerial: '35127789',
};
export const STEFAN = {
  customerCode: '1000876543',
  placeCode: 'RO002E100987654',
  contractNumber: '77812/2020',
  meterSerial: '51234001',
};

/** Links a customer account; from a fresh client address unless one is given (wrong tries count per address). */
export async function link(
  t: TestContext,
  headers: { authorization: string },
  proof: Record<string, string>,
  ip = freshIp(),
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/portal/links',
    headers: { authorization: headers.authorization },
    payload: proof,
    remoteAddress: ip,
  });
}

/** A tiny real PNG (1x1), a real PDF, and bytes that only pretend. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

export function complaintForm(
  fields: Record<string, string>,
  files: Array<{ name: string; content: Buffer; type?: string }> = [],
): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files)
    form.append(
      'files',
      new Blob([new Uint8Array(f.content)], { type: f.type ?? 'application/octet-stream' }),
      f.name,
    );
  return form;
}

export function submit(t: TestContext, headers: { authorization: string }, form: FormData) {
  return t.app.inject({ method: 'POST', url: '/api/portal/cases', headers, payload: form });
}
