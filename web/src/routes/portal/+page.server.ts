import { redirect } from '@sveltejs/kit';
import { getApiPortalSuppliers } from '$lib/api/generated';
import { settle } from '$lib/server/api';
import { portalClient } from '$lib/server/portal-api';
import type { PageServerLoad } from './$types';

/**
 * The portal is per supplier: /portal/<CODE>. This page lets a consumer pick theirs (a GET form, so it works
 * without JavaScript); with a single supplier it goes straight there.
 */
export const load = (async (event) => {
  const chosen = (event.url.searchParams.get('furnizor') ?? '').trim().toUpperCase();
  if (/^[A-Z0-9]{2,20}$/.test(chosen)) redirect(303, `/portal/${chosen}`);
  const r = await settle(getApiPortalSuppliers({ client: portalClient(event) }));
  const suppliers = r.ok ? r.data : [];
  if (suppliers.length === 1) redirect(303, `/portal/${suppliers[0]!.code}`);
  return { suppliers, meta: { title: 'Portalul clienților' } };
}) satisfies PageServerLoad;
