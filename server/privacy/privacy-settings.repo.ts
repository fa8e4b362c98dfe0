import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { privacySettings } from '../db/schema/index.ts';

export async function getRetentionYears(db: DbOrTx, tenantId: string): Promise<number | null> {
  const [s] = await db
    .select({ years: privacySettings.retentionYears })
    .from(privacySettings)
    .where(eq(privacySettings.tenantId, tenantId));
  return s?.years ?? null;
}

export async function upsertRetentionYears(db: DbOrTx, tenantId: string, years: number, actorId: string) {
  await db
    .insert(privacySettings)
    .values({ tenantId, retentionYears: years, updatedBy: actorId })
    .onConflictDoUpdate({
      target: privacySettings.tenantId,
      set: { retentionYears: years, updatedAt: new Date(), updatedBy: actorId },
    });
}
