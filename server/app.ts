import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import { createReadiness, type Readiness } from './health/index.ts';
import type { Db } from './db/client.ts';
import type { EngineClient } from './engine/client.ts';
import type { Logger } from './logger.ts';
import { createAuthService, createTotpService, type AuthService, type TotpService } from './auth/index.ts';
import { createCaseProgressService, createCasesService } from './cases/index.ts';
import type { CaseProgressService, CasesService } from './cases/index.ts';
import { createProcessCatalog, createTasksService, type TasksService } from './tasks/index.ts';
import { createDeadlineRulesService, type DeadlineRulesService } from './deadlines/index.ts';
import { createOrgChartService, type OrgChartService } from './org-chart/index.ts';
import { createDesignerService, type DesignerService } from './designer/index.ts';
import type { Instruction } from './instructions/index.ts';
import type { RegisterDeps } from './intake/index.ts';
import type { Mailer } from './mail/mailer.ts';
import errorHandler from './plugins/error-handler.ts';
import auth from './plugins/auth.ts';
import tenantScope from './plugins/tenant-scope.ts';
import secondFactor from './plugins/second-factor.ts';
import authRoutes from './routes/api/auth/index.ts';
import complaintsRoutes from './routes/api/complaints/index.ts';
import customersRoutes from './routes/api/customers/index.ts';
import tasksRoutes from './routes/api/tasks/index.ts';
import statusRoutes from './routes/api/status/index.ts';
import deadlinesRoutes from './routes/api/deadlines/index.ts';
import deadlineRulesRoutes from './routes/api/deadline-rules/index.ts';
import nonWorkingDaysRoutes from './routes/api/non-working-days/index.ts';
import orgChartRoutes from './routes/api/org-chart/index.ts';
import operatorRequestsRoutes from './routes/api/operator-requests/index.ts';
import postalDispatchesRoutes from './routes/api/postal-dispatches/index.ts';
import tenantSettingsRoutes from './routes/api/tenant-settings/index.ts';
import mailboxRoutes from './routes/api/mailbox/index.ts';
import portalRoutes from './routes/api/portal/index.ts';
import processDefinitionsRoutes from './routes/api/process-definitions/index.ts';
import quarantineRoutes from './routes/api/quarantine/index.ts';
import identificationRoutes from './routes/api/identification/index.ts';
import callCenterRoutes from './routes/api/call-center/index.ts';
import caseLineageRoutes from './routes/api/case-lineage/index.ts';
import supervisionRoutes from './routes/api/supervision/index.ts';
import reportsRoutes from './routes/api/reports/index.ts';
import { createSupervisionService, type SupervisionService } from './supervision/index.ts';
import { createAccountPasswordService, createRoleGrantsService, createUsersService } from './users/index.ts';
import type { AccountPasswordService, RoleGrantsService, UsersService } from './users/index.ts';
import usersRoutes from './routes/api/users/index.ts';
import roleGrantsRoutes from './routes/api/role-grants/index.ts';
import accountRoutes from './routes/api/account/index.ts';
import privacyRoutes from './routes/api/privacy/index.ts';
import { ErrorSchema } from './routes/api/common.schemas.ts';
import { CLIENT_ADDRESS_HEADER } from './web-bridge.ts';
import { installationOutboundPolicy, type OutboundPolicy } from './net/outbound-fence.ts';

export interface AppServices {
  authService: AuthService;
  casesService: CasesService;
  tasksService: TasksService;
  deadlineRulesService: DeadlineRulesService;
  orgChartService: OrgChartService;
  caseProgressService: CaseProgressService;
  supervisionService: SupervisionService;
  designerService: DesignerService;
  usersService: UsersService;
  roleGrantsService: RoleGrantsService;
  accountPasswordService: AccountPasswordService;
  totpService: TotpService;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
    registerDeps: RegisterDeps;
    appConfig: Config;
    outboundPolicy: OutboundPolicy;
    /** Every route as registered (method, URL, options): the tenant attack suite walks it, so a new route is
     * attacked without anyone adding it to a list. */
    routeTable: RouteOptions[];
    /** What /readyz answers; main.ts drains it before stopping. */
    readiness: Readiness;
  }
}

export interface AppContext {
  config: Config;
  db: Db;
  engine: EngineClient;
  secret: string;
  instructions: Map<string, Instruction>;
  log: Logger;
  /** Outgoing mail the API itself sends (the consumer portal's one-time codes, staff password links). */
  mailer?: Mailer;
  /**
   * Where tenant-chosen connections (the mailbox check) may go; default: this installation's policy from its
   * configuration (server/net/outbound-fence.ts). main.ts adds the embedded mail server it started.
   */
  outbound?: OutboundPolicy;
  /** SvelteKit's request handler (adapter-node); absent in API-only tests. */
  webHandler?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
}

/** The app as a plain plugin tree: tests build it and call `inject`; main.ts adds listening and shutdown. */
export async function buildApp(
  ctx: AppContext,
  opts: { logger?: boolean | object } = {},
): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 256 * 1024,
    // The client address is the socket's; X-Forwarded-For counts only when it comes from a proxy the operator
    // named (TRUST_PROXY). Trusting every sender would let a client pick its own address and slip every per-IP limit.
    trustProxy: ctx.config.trustProxy.length ? ctx.config.trustProxy : false,
    ajv: {
      customOptions: { removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routeTable: RouteOptions[] = [];
  fastify.decorate('routeTable', routeTable);
  fastify.addHook('onRoute', (route) => {
    routeTable.push(route);
  });

  const catalog = createProcessCatalog(ctx.engine);
  fastify.decorate('appConfig', ctx.config);
  fastify.decorate('readiness', createReadiness(ctx.db));
  fastify.decorate('outboundPolicy', ctx.outbound ?? installationOutboundPolicy(ctx.config));
  fastify.decorate('registerDeps', { db: ctx.db, engine: ctx.engine, secret: ctx.secret, log: ctx.log });
  fastify.decorate('services', {
    authService: createAuthService(ctx.db, ctx.secret, {
      totpRequiredForRoles: ctx.config.staffTotpRequired,
    }),
    casesService: createCasesService({ db: ctx.db, engine: ctx.engine, secret: ctx.secret }),
    tasksService: createTasksService({
      db: ctx.db,
      engine: ctx.engine,
      catalog,
      instructions: ctx.instructions,
    }),
    supervisionService: createSupervisionService({
      db: ctx.db,
      engine: ctx.engine,
      instructions: ctx.instructions,
    }),
    deadlineRulesService: createDeadlineRulesService(ctx.db),
    orgChartService: createOrgChartService(ctx.db),
    caseProgressService: createCaseProgressService({
      db: ctx.db,
      engine: ctx.engine,
      instructions: ctx.instructions,
    }),
    designerService: createDesignerService({
      db: ctx.db,
      engine: ctx.engine,
      instructions: ctx.instructions,
    }),
    usersService: createUsersService({
      db: ctx.db,
      secret: ctx.secret,
      mailer: ctx.mailer,
      publicUrl: ctx.config.publicUrl,
      log: ctx.log,
    }),
    roleGrantsService: createRoleGrantsService({ db: ctx.db }),
    accountPasswordService: createAccountPasswordService({ db: ctx.db, secret: ctx.secret }),
    totpService: createTotpService({ db: ctx.db, secret: ctx.secret }),
  });

  // First hook of every request: its tenant scope, which authentication narrows (row-level security).
  await fastify.register(tenantScope);

  // External plugins
  // Security headers on every answer, the pages' included (they go out through reply.raw): HSTS, no framing, no
  // MIME sniffing. The CSP here covers the API and its documentation; SvelteKit replaces it on its pages with
  // one carrying a nonce per response (web/svelte.config.js).
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
  await fastify.register(cookie);
  await fastify.register(rateLimit, { global: false });
  fastify.addSchema(ErrorSchema);
  await fastify.register(swagger, {
    openapi: {
      info: {
        title: 'Reclamații API',
        version: '1.0.0',
        description:
          'Registration and handling of consumer complaints for energy and utility suppliers. Authenticate with POST /api/auth/login and send the token as `Authorization: Bearer <token>`. Error messages are in Romanian.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // The API documentation is open on a developer's machine and behind a staff login in production: its routes are
  // declared public (or not) here, where they are registered, like every other route.
  await fastify.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: !ctx.config.production };
    });
    await docs.register(swaggerUi, { routePrefix: '/api/docs' });
  });

  // App plugins
  await fastify.register(errorHandler);
  await fastify.register(auth, {
    authService: fastify.services.authService,
    publicUrl: ctx.config.publicUrl,
  });
  await fastify.register(secondFactor);

  // Routes
  await fastify.register(authRoutes, { prefix: '/api/auth' });
  await fastify.register(complaintsRoutes, { prefix: '/api/complaints' });
  await fastify.register(customersRoutes, { prefix: '/api/customers' });
  await fastify.register(tasksRoutes, { prefix: '/api/tasks' });
  await fastify.register(statusRoutes, { prefix: '/api/status' });
  await fastify.register(deadlinesRoutes, { prefix: '/api/deadlines' });
  await fastify.register(deadlineRulesRoutes, { prefix: '/api/deadline-rules' });
  await fastify.register(nonWorkingDaysRoutes, { prefix: '/api/non-working-days' });
  await fastify.register(orgChartRoutes, { prefix: '/api/org-chart' });
  await fastify.register(operatorRequestsRoutes, { prefix: '/api/operator-requests' });
  await fastify.register(postalDispatchesRoutes, { prefix: '/api/postal-dispatches' });
  await fastify.register(tenantSettingsRoutes, { prefix: '/api/tenant-settings' });
  await fastify.register(mailboxRoutes, { prefix: '/api/mailbox' });
  await fastify.register(portalRoutes, {
    prefix: '/api/portal',
    db: ctx.db,
    registerDeps: fastify.registerDeps,
    mailer: ctx.mailer,
    publicUrl: ctx.config.publicUrl,
  });
  await fastify.register(processDefinitionsRoutes, { prefix: '/api/process-definitions' });
  await fastify.register(quarantineRoutes, { prefix: '/api/quarantine' });
  await fastify.register(identificationRoutes, { prefix: '/api/identification' });
  await fastify.register(callCenterRoutes, { prefix: '/api/call-center' });
  await fastify.register(caseLineageRoutes, { prefix: '/api/complaints' });
  await fastify.register(supervisionRoutes, { prefix: '/api/supervision' });
  await fastify.register(reportsRoutes, { prefix: '/api/reports' });
  await fastify.register(usersRoutes, { prefix: '/api/users' });
  await fastify.register(roleGrantsRoutes, { prefix: '/api/role-grants' });
  await fastify.register(accountRoutes, { prefix: '/api/account' });
  await fastify.register(privacyRoutes, { prefix: '/api/privacy', mailer: ctx.mailer });
  // Alive (the process answers) and ready (a load balancer may send it requests): see server/health/readiness.ts.
  // A load balancer asks several times a second: not a line in the request log each time.
  fastify.get(
    '/healthz',
    { schema: { hide: true }, logLevel: 'warn', config: { public: true } },
    async () => ({
      ok: true,
    }),
  );
  fastify.get(
    '/readyz',
    { schema: { hide: true }, logLevel: 'warn', config: { public: true } },
    async (_req, reply) => {
      const r = await fastify.readiness.check();
      return reply.status(r.ready ? 200 : 503).send(r);
    },
  );

  // Everything that is not the API is a SvelteKit page.
  const web = ctx.webHandler;
  fastify.setNotFoundHandler((req, reply) => {
    if (!web || req.url.startsWith('/api/')) {
      return reply.status(404).send({ code: 'NOT_FOUND', message: 'Resursa nu există.' });
    }
    reply.hijack();
    // SvelteKit's getClientAddress reads this header (ADDRESS_HEADER, see web-bridge.ts): the address fastify
    // decided, set here over anything the client sent under that name.
    req.raw.headers[CLIENT_ADDRESS_HEADER] = req.ip;
    web(req.raw, reply.raw, () => {
      reply.raw.statusCode = 404;
      reply.raw.end('Not found');
    });
  });

  return fastify;
}
