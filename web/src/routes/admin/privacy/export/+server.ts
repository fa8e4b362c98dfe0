import { error } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import { requireDpo } from '$lib/server/guard-dpo';
import type { RequestHandler } from './$types';

/** The data-subject export, passed through from the API (which checks the DPO role again and logs the export). */
export const GET = (async (event) => {
  requireDpo(event);
  const params = new URLSearchParams();
  const customerId = event.url.searchParams.get('customerId');
  const email = event.url.searchParams.get('email');
  if (customerId) params.set('customerId', customerId);
  if (email) params.set('email', email);
  const res = await callApi(
    event,
    'GET',
    `/api/privacy/export?${params}&via=${encodeURIComponent('pagina DPO: export')}`,
  );
  if (res.statusCode !== 200) {
    let message = 'Exportul nu a putut fi generat.';
    try {
      message = (JSON.parse(res.body) as { message?: string }).message ?? message;
    } catch {
      /* not JSON */
    }
    error(res.statusCode, message);
  }
  return new Response(new Uint8Array(res.rawPayload), {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': String(
        res.headers['content-disposition'] ?? 'attachment; filename="export.zip"',
      ),
    },
  });
}) satisfies RequestHandler;
