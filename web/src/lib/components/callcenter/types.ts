import type { ComplaintCategory, IsoDate, IsoDateTime, RegisteredComplaint } from '$lib/api/types';

/** GET /api/call-center/earlier-cases */
export interface EarlierCase {
  number: string;
  customerId: string;
  placeId: string | null;
  category: ComplaintCategory;
  subject: string;
  status: string;
  receivedAt: IsoDateTime;
  dueDate: IsoDate;
  closedAt: IsoDateTime | null;
}

/** GET /api/deadlines/preview */
export interface DeadlinePreview {
  category: ComplaintCategory;
  registeredOn: IsoDate;
  dueDate: IsoDate;
  rule: { days: number; unit: string; legalBasis: string };
}

/** POST /api/call-center/complaints */
export type PhoneRegistration = RegisteredComplaint & { resolvedDuringCall: boolean };
