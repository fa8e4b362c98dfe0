import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { checkMailboxSettings, mailboxSettings, saveMailboxSettings } from '../../../intake/index.ts';
import { errorResponses, Nullable } from '../common.schemas.ts';

const Folder = Type.String({ minLength: 1, maxLength: 200 });
const MailboxBody = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, description: 'IMAP server name' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    secure: Type.Boolean({
      description: 'TLS from the first byte (port 993); false = plain or STARTTLS (143)',
    }),
    username: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1000, description: 'Omitted: keep the stored one' }),
    ),
    mailbox: Folder,
    processedFolder: Folder,
    quarantineFolder: Folder,
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);

const MailboxSchema = Type.Object({
  /** The address consumers write to (shown; set by the operator of the installation). */
  intakeEmail: Type.String(),
  /** False: the tenant reads its intake address on the installation's own mail server (or the catch-all). */
  configured: Type.Boolean(),
  host: Nullable(Type.String()),
  port: Nullable(Type.Integer()),
  secure: Type.Boolean(),
  username: Nullable(Type.String()),
  passwordSet: Type.Boolean(),
  mailbox: Type.String(),
  processedFolder: Type.String(),
  quarantineFolder: Type.String(),
  enabled: Type.Boolean(),
  updatedAt: Nullable(Type.String()),
});

const CheckSchema = Type.Object({
  messages: Type.Integer(),
  foldersToCreate: Type.Array(Type.String()),
});

/**
 * The supplier's own complaint mailbox (IMAP): where the e-mail intake reads, the folders it moves messages to,
 * on or off. The password is write-only (stored AES-256-GCM encrypted, never returned or logged). The rules are
 * the intake module's (server/intake/mailbox-settings.service.ts).
 */
const mailboxRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { db, secret } = fastify.registerDeps;
  const deps = {
    db,
    secret,
    // Read at each request, as before: a test may narrow the installation's policy after the app is built.
    get outbound() {
      return fastify.outboundPolicy;
    },
  };

  fastify.get(
    '/',
    {
      schema: {
        tags: ['mailbox'],
        summary: "The tenant's complaint mailbox settings (never the password)",
        response: { 200: MailboxSchema, ...errorResponses },
      },
      config: { roles: ['admin'] },
    },
    async (req): Promise<Static<typeof MailboxSchema>> => mailboxSettings(deps, principalOf(req).tenantId),
  );

  fastify.put(
    '/',
    {
      schema: {
        tags: ['mailbox'],
        summary: 'Save the complaint mailbox settings (audited; the intake switches within a minute)',
        description:
          'Needs a sign-in or re-authentication (POST /api/auth/reauth) within the last 10 minutes: 403 AUTH_REAUTH_REQUIRED otherwise.',
        body: MailboxBody,
        response: { 200: MailboxSchema, ...errorResponses },
      },
      config: { roles: ['admin'] },
    },
    async (req) => saveMailboxSettings(deps, principalOf(req), req.body),
  );

  fastify.post(
    '/check',
    {
      schema: {
        tags: ['mailbox'],
        summary: 'Connect once with these settings (or the stored password) and report what was found',
        body: MailboxBody,
        response: { 200: CheckSchema, ...errorResponses },
      },
      config: { roles: ['admin'], rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req) => checkMailboxSettings(deps, principalOf(req).tenantId, req.body),
  );
};

export default mailboxRoutes;
