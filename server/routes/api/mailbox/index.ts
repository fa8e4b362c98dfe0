import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { requireRecentAuth } from '../../../auth/reauth.ts';
import { appendAudit } from '../../../audit/index.ts';
import { DomainError } from '../../../errors.ts';
import { checkMailbox } from '../../../intake/mail/mailbox-check.ts';
import { checkOutbound } from '../../../net/outbound-fence.ts';
import { getMailAccount, saveMailAccount, toMailboxConfig } from '../../../intake/mail/mail-accounts.repo.ts';
import type { MailboxConfig } from '../../../intake/mail/mailbox-watcher.ts';
import { getTenant } from '../../../tenants/index.ts';
import { errorResponses } from '../common.schemas.ts';

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
type MailboxInput = Static<typeof MailboxBody>;

const MailboxSchema = Type.Object({
  /** The address consumers write to (shown; set by the operator of the installation). */
  intakeEmail: Type.String(),
  /** False: the tenant reads its intake address on the installation's own mail server (or the catch-all). */
  configured: Type.Boolean(),
  host: Type.Union([Type.String(), Type.Null()]),
  port: Type.Union([Type.Integer(), Type.Null()]),
  secure: Type.Boolean(),
  username: Type.Union([Type.String(), Type.Null()]),
  passwordSet: Type.Boolean(),
  mailbox: Type.String(),
  processedFolder: Type.String(),
  quarantineFolder: Type.String(),
  enabled: Type.Boolean(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});

const CheckSchema = Type.Object({
  messages: Type.Integer(),
  foldersToCreate: Type.Array(Type.String()),
});

/**
 * The supplier's own complaint mailbox (IMAP): where the e-mail intake reads, the folders it moves messages to,
 * on or off. The password is write-only (stored AES-256-GCM encrypted, never returned or logged). The running
 * intake picks a change up within a minute (server/intake/mail/start-intake.ts).
 */
const mailboxRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { db, secret } = fastify.registerDeps;

  async function current(tenantId: string): Promise<Static<typeof MailboxSchema>> {
    const [tenant, a] = await Promise.all([getTenant(db, tenantId), getMailAccount(db, tenantId)]);
    if (!tenant) throw new DomainError('NOT_FOUND');
    return {
      intakeEmail: tenant.intakeEmail,
      configured: a !== null,
      host: a?.host ?? null,
      port: a?.port ?? null,
      secure: a?.secure ?? true,
      username: a?.username ?? null,
      passwordSet: a !== null,
      mailbox: a?.mailbox ?? 'INBOX',
      processedFolder: a?.processedFolder ?? 'Processed',
      quarantineFolder: a?.quarantineFolder ?? 'Quarantine',
      enabled: a?.enabled ?? true,
      updatedAt: a?.updatedAt.toISOString() ?? null,
    };
  }

  /**
   * The settings as the intake would use them; without a new password, the stored one, but only for the server it
   * was given for: a changed host, port or TLS setting needs the password typed again, so the stored password is
   * never sent to a server (or over a connection) its owner did not give it to.
   */
  async function configOf(tenantId: string, b: MailboxInput): Promise<MailboxConfig> {
    let password = b.password;
    if (!password) {
      const stored = await getMailAccount(db, tenantId);
      if (!stored) throw new DomainError('MAILBOX_PASSWORD_REQUIRED');
      const sameServer =
        stored.host.trim().toLowerCase() === b.host.trim().toLowerCase() &&
        stored.port === b.port &&
        (stored.secure || !b.secure);
      if (!sameServer) throw new DomainError('MAILBOX_PASSWORD_REQUIRED_NEW_SERVER');
      password = toMailboxConfig(secret, stored).pass;
    }
    return {
      host: b.host.trim(),
      port: b.port,
      secure: b.secure,
      user: b.username.trim(),
      pass: password,
      mailbox: b.mailbox.trim(),
      processedFolder: b.processedFolder.trim(),
      quarantineFolder: b.quarantineFolder.trim(),
    };
  }

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
    async (req) => current(principalOf(req).tenantId),
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
    async (req) => {
      const p = principalOf(req);
      // Where complaints are read from (and a stored password sent to): the admin proves again who they are.
      requireRecentAuth(p);
      const cfg = await configOf(p.tenantId, req.body);
      // An internal address or one of the installation's ports is refused now, not only when the intake connects;
      // a name that does not resolve at this moment may still be saved (the check route says why it fails).
      await checkOutbound(fastify.outboundPolicy, cfg.host, cfg.port).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'OUTBOUND_REFUSED') throw err;
      });
      await db.transaction(async (tx) => {
        await saveMailAccount(tx, secret, p.tenantId, {
          host: cfg.host,
          port: cfg.port,
          secure: cfg.secure,
          username: cfg.user,
          password: cfg.pass,
          mailbox: cfg.mailbox,
          processedFolder: cfg.processedFolder,
          quarantineFolder: cfg.quarantineFolder,
          enabled: req.body.enabled,
        });
        await appendAudit(tx, {
          tenantId: p.tenantId,
          actorId: p.userId,
          actorKind: 'user',
          action: 'tenant.mailbox_changed',
          entityType: 'tenant',
          entityId: p.tenantId,
          details: {
            host: cfg.host,
            port: cfg.port,
            enabled: req.body.enabled,
            passwordChanged: req.body.password !== undefined,
          },
        });
      });
      return current(p.tenantId);
    },
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
    async (req) => checkMailbox(await configOf(principalOf(req).tenantId, req.body), fastify.outboundPolicy),
  );
};

export default mailboxRoutes;
