import { Type } from 'typebox';
import { complaintCategories } from '../../../codes/case-codes.ts';
import { CaseNumber, IsoDate, Nullable } from '../common.schemas.ts';

export const TenantParams = Type.Object({
  tenantCode: Type.String({ pattern: '^[A-Z0-9]{2,20}$', description: 'The supplier, e.g. DEMO' }),
});
export const NumberParams = Type.Object({ number: CaseNumber });

export const SupplierListSchema = Type.Array(Type.Object({ code: Type.String(), name: Type.String() }));

export const RequestCodeSchema = Type.Object({
  email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
});
export const CodeRequestedSchema = Type.Object({
  message: Type.String(),
  expiresInSeconds: Type.Integer(),
});

export const VerifyCodeSchema = Type.Object({
  email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
  code: Type.String({ pattern: '^\\s*\\d{3}\\s?\\d{3}\\s*$', maxLength: 12 }),
});
export const ConsumerSessionSchema = Type.Object({
  token: Type.String(),
  expiresAt: Type.String(),
  account: Type.Object({ email: Type.String(), supplier: Type.String(), tenantCode: Type.String() }),
});

export const AccountSchema = Type.Object({
  email: Type.String(),
  supplier: Type.String(),
  tenantCode: Type.String(),
  sessionExpiresAt: Type.String(),
  customers: Type.Array(Type.Object({ customerCode: Type.String(), name: Type.String() })),
  placeCount: Type.Integer(),
});

export const PlaceSchema = Type.Object({
  id: Type.String(),
  placeCode: Type.String(),
  energy: Type.String(),
  address: Type.String(),
  contractNumber: Nullable(Type.String()),
  customerId: Type.String(),
  customerCode: Type.String(),
  customerName: Type.String(),
});
export const PlaceListSchema = Type.Array(PlaceSchema);

export const LinkSchema = Type.Object({
  customerCode: Type.String({ minLength: 1, maxLength: 40 }),
  placeCode: Type.String({ minLength: 1, maxLength: 40 }),
  // Both second factors, as on the invoice (issue 13 item 5: either one alone was guessable across accounts).
  contractNumber: Type.String({ minLength: 1, maxLength: 60 }),
  meterSerial: Type.String({ minLength: 1, maxLength: 60 }),
});
export const LinkResultSchema = Type.Object({ places: PlaceListSchema });

export const CaseSummarySchema = Type.Object({
  number: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  category: Type.String(),
  subject: Type.String(),
  channel: Type.String(),
  placeCode: Nullable(Type.String()),
  receivedAt: Type.String(),
  dueDate: IsoDate,
  open: Type.Boolean(),
});
export const CaseListSchema = Type.Array(CaseSummarySchema);

export const FileSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.String(),
});

export const CaseDetailSchema = Type.Object({
  number: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  open: Type.Boolean(),
  category: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  channel: Type.String(),
  placeCode: Nullable(Type.String()),
  placeAddress: Nullable(Type.String()),
  receivedAt: Type.String(),
  registeredOn: IsoDate,
  dueDate: IsoDate,
  answerSentAt: Nullable(Type.String()),
  timeline: Type.Array(Type.Object({ at: Type.String(), type: Type.String(), message: Type.String() })),
  documents: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      fileName: Type.String(),
      contentType: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
      createdAt: Type.String(),
    }),
  ),
  submissions: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      text: Type.String(),
      createdAt: Type.String(),
      files: Type.Array(FileSchema),
    }),
  ),
});

export const SubmittedComplaintSchema = Type.Object({
  number: Type.String(),
  receivedAt: Type.String(),
  registeredOn: IsoDate,
  dueDate: IsoDate,
  accessCode: Type.String(),
  files: Type.Array(FileSchema),
});

export const AddedInformationSchema = Type.Object({
  number: Type.String(),
  submissionId: Type.String(),
  correlated: Type.Boolean({ description: 'The process took the "consumer added information" message' }),
  pending: Type.Boolean({ description: 'The engine was away: the message is retried until it is taken' }),
  files: Type.Array(FileSchema),
});

/** The text fields of the multipart complaint form (validated by hand: multipart bodies skip the JSON schema). */
export const COMPLAINT_FIELDS = {
  /** What a consumer files (Order 16/2015 art. 2(1)); an authority's referral is a source, registered by staff. */
  categories: [...complaintCategories],
  subject: { min: 3, max: 200 },
  body: { min: 10, max: 20000 },
  contactName: { max: 200 },
  contactPhone: { max: 40 },
  information: { min: 3, max: 20000 },
} as const;

export const MultipartDescription =
  'multipart/form-data. Files: at most 5, 10 MB each, 25 MB together; JPG, PNG, WEBP, HEIC, PDF, DOCX, XLSX or ODT, recognised by their content.';

export const ContestSchema = Type.Object({
  text: Type.String({ minLength: 10, maxLength: 20000 }),
});
export const ContestedSchema = Type.Object({
  number: Type.String({ description: 'The new case' }),
  registeredOn: IsoDate,
  dueDate: IsoDate,
  contests: Type.String({ description: 'The case whose answer is contested' }),
});
