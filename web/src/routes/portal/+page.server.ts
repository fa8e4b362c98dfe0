import { redirect } from '@sveltejs/kit';
import type { GetApiPortalSuppliersResponse } from '$lib/api/generated';
import { portalApi } from '$lib/server/portal-api';
import type { PageServerLoad } from './$types';

/**
 * The portal is per supplier: /portal/<CODE>. This page lets a consumer pick theirs (a GET form, so it works
 * without JavaScript); with a single supplier it goes straight there.
 */
export const load = (async (event) => {
  const chosen = (event.url.searchParams.get('furnizor') ?? '').trim().toUpperCase();
  if (/^[A-Z0-9]{2,20}$/.test(chosen)) redirect(303, `/portal/${chosen}`);
  const r = await portalApi<GetApiPortalSuppliersResponse>(event, 'GET', '/api/portal/suppliers');
  const suppliers = r.ok ? r.data : [];
  if (suppliers.length === 1) redirect(303, `/portal/${suppliers[0]!.code}`);
  return { suppliers, meta: { title: 'Portalul clienților' } };
}) satisfies PageServerLoad;
