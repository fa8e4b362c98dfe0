import { error, redirect } from '@sveltejs/kit';
import { getApiPortalMe, getApiPortalSuppliers, type GetApiPortalMeResponse } from '$lib/api/generated';
import { settle } from '$lib/server/api';
import { clearPortalCookie, PORTAL_COOKIE, portalClient, setPortalCookie } from '$lib/server/portal-api';
import type { LayoutServerLoad } from './$types';

/**
 * Every portal page: the supplier from the URL (it must exist), and the consumer signed in to it, if any. A
 * session of this supplier's portal is the only one this cookie (path /portal/<CODE>) can carry. Pages other
 * than the login page need a session. Portal pages are private: never cached.
 */
export const load = (async (event) => {
  const { params, url, setHeaders } = event;
  const tenant = params.tenant.toUpperCase();
  if (tenant !== params.tenant)
    redirect(308, url.pathname.replace(`/portal/${params.tenant}`, `/portal/${tenant}`));
  setHeaders({ 'cache-control': 'private, no-store' });

  const client = portalClient(event);
  const suppliers = await settle(getApiPortalSuppliers({ client }));
  const supplier = suppliers.ok ? suppliers.data.find((s) => s.code === tenant) : undefined;
  if (!supplier) error(404, 'Furnizorul nu există.');

  let account: GetApiPortalMeResponse | null = null;
  if (event.cookies.get(PORTAL_COOKIE)) {
    const me = await settle(getApiPortalMe({ client }));
    if (me.ok && me.data.tenantCode === tenant) {
      account = me.data;
      // The session slides: keep the cookie as long as the session.
      setPortalCookie(event, tenant, event.cookies.get(PORTAL_COOKIE)!, me.data.sessionExpiresAt);
    } else clearPortalCookie(event, tenant);
  }
  const onLogin = url.pathname === `/portal/${tenant}/login`;
  if (!account && !onLogin) redirect(303, `/portal/${tenant}/login`);
  return { supplier, account };
}) satisfies LayoutServerLoad;
