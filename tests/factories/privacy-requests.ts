import { expect } from 'vitest';
import type { TestContext } from '../helpers/test-context.ts';
import type { Headers } from '../helpers/tasks.ts';

/**
 * A GDPR request registered by a staff member through POST /api/privacy/requests (which starts its process and
 * gives the DPO a task). Defaults: a right of access asked by phone by someone not on file.
 */
export async function createPrivacyRequest(
  t: TestContext,
  as: Headers,
  fields: Record<string, unknown> = {},
): Promise<{ number: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/privacy/requests',
    headers: as,
    payload: {
      right: 'access',
      channel: 'call_center',
      contactName: 'Elena Radu',
      contactPhone: '0722000111',
      details: 'Cere copia datelor personale.',
      ...fields,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ number: string }>();
}
