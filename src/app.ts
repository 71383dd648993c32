import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { createServer } from 'node:http';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from './services.ts';
import { clientProblem, frameworkProblem, registerProblemHandlers } from './http/problem.ts';
import { RouteIndex } from './http/route-index.ts';
import { registerCsrfGuard } from './http/csrf.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerRequestContext } from './http/context.ts';
import { registerAdminGuard } from './http/admin-guard.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerWeb } from './http/web.ts';
import type { ZodApp } from './http/zod-app.ts';
import { healthRoutes } from './ops/health.routes.ts';
import { registerMetrics } from './ops/metrics.ts';
import { newRequestId } from './http/request-id.ts';
import { sessionCheckFastPath, type FastPath } from './http/session-check-fast-path.ts';
import { sessionCookieName } from './sessions/cookie.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { stepUpRoutes } from './auth/step-up.routes.ts';
import { settingsRoutes } from './settings/settings.routes.ts';
import { accountNotificationRoutes } from './notifications/account.routes.ts';
import { notificationTemplateRoutes } from './notifications/templates.routes.ts';
import { outboxRoutes } from './mail/outbox.routes.ts';
import { auditPublicKeyRoutes, auditRoutes } from './audit/audit.routes.ts';
import { adminUserRoutes } from './users/routes.ts';
import { orgRoutes } from './orgs/routes.ts';
import { accountTermsRoutes } from './terms/account-terms.routes.ts';
import { policiesRoutes } from './terms/policies.routes.ts';
import { registerCapabilityGuard } from './http/capabilities.ts';
import { impersonationRoutes } from './impersonation/impersonation.routes.ts';
import { approvalAdminRoutes, approvalRoutes } from './impersonation/approvals.routes.ts';
import { impersonationAdminRoutes } from './impersonation/admin.routes.ts';
import { subjectImpersonationRoutes } from './impersonation/subject.routes.ts';
import { accountPasswordRoutes } from './account/password.routes.ts';
import { accountProfileRoutes } from './account/profile.routes.ts';
import { accountEmailRoutes } from './account/emails.routes.ts';
import { accountTwoFactorRoutes } from './account/two-factor.routes.ts';
import { preferencesRoutes } from './preferences/preferences.routes.ts';
import { registerTextGuard } from './http/text-guard.ts';
import { registerStrictUtf8Query } from './http/utf8.ts';
import { registerJsonBody } from './http/json-body.ts';
import { logsEveryRequest, requestLoggerOptions } from './http/logging.ts';
import { registerAdmission } from './http/admission.ts';
import { registerOidc } from './oidc/oidc.routes.ts';
import { appsRoutes } from './oidc/apps.routes.ts';
import { loginServicesRoutes, publicLoginServicesRoutes } from './login-services/login-services.routes.ts';
import { loginServiceFlowRoutes } from './login-services/flows.routes.ts';
import { accountLinkedAccountsRoutes } from './linked-accounts/account.routes.ts';
import { adminLinkedAccountsRoutes } from './linked-accounts/admin.routes.ts';

export interface AppOptions {
  /** The request log's level and destination (default: the configured level, stdout), or none. */
  logger?: false | { level?: string; stream?: NodeJS.WritableStream };
}

/** Builds the HTTP application around the given services. Does not listen. */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  // Set once the app is built: answers the warm session check before Fastify sees it.
  let fastPath: FastPath = () => false;
  const logLevel = options.logger === false ? null : (options.logger?.level ?? services.config.logLevel);
  const app = Fastify({
    // Fastify's own HTTP server, with the fast path in front (src/http/session-check-fast-path.ts).
    serverFactory: (handler, serverOptions) => {
      const opts = serverOptions as {
        keepAliveTimeout?: number;
        requestTimeout?: number;
        connectionTimeout?: number;
      };
      const server = createServer((req, res) => {
        if (!fastPath(req, res, () => handler(req, res))) handler(req, res);
      });
      // What Fastify sets on the server it creates itself.
      server.keepAliveTimeout = opts.keepAliveTimeout ?? 72_000;
      server.requestTimeout = opts.requestTimeout ?? 0;
      server.setTimeout(opts.connectionTimeout ?? 0);
      return server;
    },
    logger:
      logLevel === null
        ? false
        : requestLoggerOptions(logLevel, options.logger ? options.logger.stream : undefined),
    genReqId: newRequestId,
    bodyLimit: 64 * 1024,
    trustProxy: services.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: (error, req, reply) => void frameworkProblem(error, req, reply),
    clientErrorHandler: clientProblem,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a cross-site form cannot send it, and nothing here reads text or forms.
  app.removeContentTypeParser('text/plain');
  registerJsonBody(app);
  registerStrictUtf8Query(app);

  const routes = new RouteIndex();
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) routes.add(m, r.url);
  });
  app.decorate('routeIndex', routes);
  registerProblemHandlers(app, (path) => routes.allowed(path));

  // The hashing threads are unreferenced while idle; closing stops them outright.
  app.addHook('onClose', () => services.hasher.close());

  // Before every route: its request counter and latency hook must see them all.
  const recordRequest = registerMetrics(app, services);
  await app.register(cookie);
  registerSecurityHeaders(app);
  await registerOpenApi(app);
  // The web pages (web/dist) and their Content-Security-Policy; the API's answers stay as they are.
  await registerWeb(app);
  registerCsrfGuard(app, {
    publicUrl: services.config.publicUrl,
    isDomainHost: (hostName) => services.orgs.isDomainHost(hostName),
  });
  registerRequestContext(app, services.sessions, services.settings, services.config);
  registerCapabilityGuard(app);
  registerTextGuard(app);
  // Before the routes: it attaches itself to those that declare `config.admission`.
  await registerAdmission(app, {
    config: services.config,
    clock: services.clock,
    challengeCookie: services.secondFactor.cookieName(),
    hashQueue: services.hasher,
  });

  const api: ZodApp = app;
  healthRoutes(api, services);
  auditPublicKeyRoutes(api, services);
  authRoutes(api, services);
  stepUpRoutes(api, services);
  publicLoginServicesRoutes(api, services);
  loginServiceFlowRoutes(api, services);
  accountNotificationRoutes(api, services);
  accountTermsRoutes(api, services);
  // Outside the admin guard: starting must answer `nested_impersonation` to an impersonated
  // session (the guard would say admin_unavailable), and "back" runs as the subject.
  impersonationRoutes(api, services);
  subjectImpersonationRoutes(api, services);
  approvalRoutes(api, services);
  accountPasswordRoutes(api, services);
  accountProfileRoutes(api, services);
  accountEmailRoutes(api, services);
  accountTwoFactorRoutes(api, services);
  preferencesRoutes(api, services);
  accountLinkedAccountsRoutes(api, services);
  await registerOidc(app, services);
  await app.register(async (admin) => {
    registerAdminGuard(admin);
    const scoped = admin as unknown as ZodApp;
    settingsRoutes(scoped, services);
    notificationTemplateRoutes(scoped, services);
    outboxRoutes(scoped, services);
    policiesRoutes(scoped, services);
    auditRoutes(scoped, services);
    impersonationAdminRoutes(scoped, services);
    approvalAdminRoutes(scoped, services);
    adminUserRoutes(scoped, services);
    orgRoutes(scoped, services);
    appsRoutes(scoped, services);
    loginServicesRoutes(scoped, services);
    adminLinkedAccountsRoutes(scoped, services);
  });

  // With the request log on, Fastify logs every request; the fast path would skip that.
  if (!logsEveryRequest(logLevel)) {
    let open = true;
    app.addHook('preClose', (done) => {
      open = false;
      done();
    });
    fastPath = sessionCheckFastPath({
      sessions: services.sessions,
      terms: services.terms,
      cookieName: sessionCookieName(services.config),
      parseCookie: (header) => app.parseCookie(header),
      recordRequest,
      open: () => open,
    });
  }
  return app;
}
