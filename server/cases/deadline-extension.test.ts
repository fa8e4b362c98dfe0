import { describe, expect, it } from 'vitest';
import type { DbOrTx } from '../db/client.ts';
import { extensionRefusal, type ExtensionCheck } from './deadline-extension.service.ts';

/**
 * The rules of an extension (IL-32, Law 31/2018) in their one place, extensionRefusal: what a proposal, the case
 * page's offer and the extend-deadline worker's approved extension are each refused for. (The database is asked
 * only for a postal address, which none of these cases reaches.)
 */
describe('when a deadline may be extended', () => {
  const db = {} as DbOrTx;
  // Due Wednesday 11 March 2026; a letter needs three working days: it must leave by Friday 6.
  const open = {
    tenantId: 't',
    number: 'DEMO-2026-000001',
    dueDate: '2026-03-11',
    extendedAt: null,
    answerCommunicatedAt: null,
    status: 'in_progress' as const,
    contactEmail: 'ana@example.test',
  };
  const byPost = { ...open, contactEmail: null };
  const approved = (over: Partial<Extract<ExtensionCheck, { stage: 'approved' }>> = {}): ExtensionCheck => ({
    stage: 'approved',
    tenant: { postalDeliveryWorkingDays: 3 },
    days: 10,
    maxDays: 15,
    today: '2026-03-05',
    extraNonWorkingDays: new Set(),
    ...over,
  });
  const stages: ExtensionCheck[] = [{ stage: 'proposal' }, { stage: 'offer', maxDays: 15 }, approved()];

  it('once only, at every stage', async () => {
    for (const check of stages)
      expect(await extensionRefusal(db, { ...open, extendedAt: new Date() }, check), check.stage).toBe(
        'Termenul a fost deja prelungit o dată; nu se mai poate prelungi.',
      );
  });

  it('never once the answer was communicated or the case closed', async () => {
    const answered = { ...open, answerCommunicatedAt: new Date(), status: 'answer_sent' as const };
    const closed = { ...open, status: 'closed' as const };
    for (const c of [answered, closed]) {
      expect(await extensionRefusal(db, c, { stage: 'proposal' })).toBe(
        'Răspunsul a fost comunicat sau dosarul este închis: termenul nu se mai prelungește.',
      );
      expect(await extensionRefusal(db, c, { stage: 'offer', maxDays: 15 })).toBe(
        'Răspunsul a fost comunicat sau dosarul este închis: termenul nu se mai prelungește.',
      );
      expect(await extensionRefusal(db, c, approved())).toBe(
        'Răspunsul a fost deja comunicat; prelungirea nu mai are obiect.',
      );
    }
  });

  it("only when the category's rule allows one (checked from the offer on), of at most its days", async () => {
    expect(await extensionRefusal(db, open, { stage: 'proposal' })).toBeNull();
    const none = 'Regula de termen a categoriei nu permite prelungirea (Administrare → Termene).';
    expect(await extensionRefusal(db, open, { stage: 'offer', maxDays: 0 })).toBe(none);
    expect(await extensionRefusal(db, open, approved({ maxDays: 0, days: 0 }))).toBe(none);
    expect(await extensionRefusal(db, open, { stage: 'offer', maxDays: 15 })).toBeNull();
    expect(await extensionRefusal(db, open, approved({ days: 16 }))).toBe(
      'Prelungirea cerută (16 zile) depășește maximul categoriei (15 zile).',
    );
  });

  it('applied only while its notice can reach the consumer before the original due date', async () => {
    // By e-mail: up to the due day itself.
    expect(await extensionRefusal(db, open, approved({ today: '2026-03-11' }))).toBeNull();
    expect(await extensionRefusal(db, open, approved({ today: '2026-03-12' }))).toBe(
      'Înștiințarea nu mai poate ajunge la client înainte de termenul inițial (11.03.2026); prelungirea se refuză.',
    );
    // By post: the letter must leave three working days before (Friday 6; the weekend does not count).
    const late =
      'Înștiințarea nu mai poate ajunge la client înainte de termenul inițial (11.03.2026) prin poștă; prelungirea se refuză.';
    expect(await extensionRefusal(db, byPost, approved({ today: '2026-03-09' }))).toBe(late);
    // A tenant's extra non-working Friday moves that day back to Thursday 5.
    expect(
      await extensionRefusal(
        db,
        byPost,
        approved({ today: '2026-03-06', extraNonWorkingDays: new Set(['2026-03-06']) }),
      ),
    ).toBe(late);
  });
});
