// Authentication and the per-route authorization rule. A route declares its rule in its
// options, `config: { auth: { roles: [...] } }` (or `roles: 'any'` for any signed-in caller,
// or `public: true`); this hook then requires a bearer token (a login JWT or an API token),
// loads the caller's roles, answers 401/403, documents the security scheme in OpenAPI, and
// leaves `request.principal` for the handler's tenant checks (404 outside the tenant).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import jwt from '@fastify/jwt';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../app-services.ts';
import { unauthorized } from '../../domain/errors.ts';
import { ErrorBody } from '../schemas/common.ts';
import { loadPrincipal, loadSessionPrincipal, type Principal } from '../../domain/auth/principal.ts';
import { requireRole } from '../../domain/auth/scope.ts';
import type { Role } from '../../domain/auth/roles.ts';
import { API_TOKEN_PREFIX, hashSecret } from '../../domain/auth/secrets.ts';
import { ApiToken } from '../../domain/entities/api-token.ts';
import { SystemSetting } from '../../domain/entities/system-setting.ts';
import { systemClock } from '../../domain/clock.ts';

export type RouteAuth = { public: true } | { roles: readonly Role[] | 'any' };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Login tokens live 15 minutes and are renewed with a refresh token; integrations use API tokens. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
const JWT_SECRET_KEY = 'auth.jwt_secret';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** JWT_SECRET, or a secret generated once and kept in system_setting so every API process shares it. */
export async function resolveJwtSecret(services: AppServices): Promise<string> {
  if (services.config.JWT_SECRET) return services.config.JWT_SECRET;
  const em = services.orm.em.fork() as EntityManager;
  await em.execute('insert into system_setting (key, value, updated_at) values (?, ?, ?) on conflict (key) do nothing', [
    JWT_SECRET_KEY,
    JSON.stringify(randomBytes(48).toString('base64url')),
    systemClock.now(),
  ]);
  const setting = await em.findOneOrFail(SystemSetting, { key: JWT_SECRET_KEY });
  return setting.value as string;
}

/** The request's EntityManager (its RequestContext fork). */
export const emOf = (request: FastifyRequest): EntityManager => request.server.services.orm.em as EntityManager;

/** The authenticated caller; only valid on routes guarded by `config.auth` with roles. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

export async function registerAuth(fastify: FastifyInstance, services: AppServices): Promise<void> {
  // Only HS256 with our secret, and every token must say when it expires: a token signed with
  // another algorithm, or without `exp`, is refused like a forged one.
  await fastify.register(jwt, {
    secret: await resolveJwtSecret(services),
    sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_SECONDS },
    verify: { algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'sub', 'sid', 'typ'] },
  });
  fastify.decorateRequest('principal', null);

  const authenticate = async (request: FastifyRequest): Promise<Principal> => {
    const header = request.headers.authorization;
    if (!header || !/^Bearer\s+\S+/i.test(header)) throw unauthorized('send Authorization: Bearer <token> (a token from POST /auth/login or an API token)');
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const em = emOf(request);
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const row = await em.findOne(ApiToken, { tokenHash: hashSecret(token), revokedAt: null });
      if (!row || (row.expiresAt && row.expiresAt.getTime() <= systemClock.now().getTime())) throw unauthorized('the API token is unknown, revoked or expired');
      await em.nativeUpdate(ApiToken, { id: row.id }, { lastUsedAt: systemClock.now() });
      const principal = await loadPrincipal(em, row.account.id, 'api_token');
      if (!principal) throw unauthorized('the account is inactive or gone');
      return principal;
    }
    let payload: Record<string, unknown>;
    try {
      payload = fastify.jwt.verify<Record<string, unknown>>(token);
    } catch {
      throw unauthorized('the login token is invalid or expired; log in again');
    }
    // Signed by us, but still checked: a claim of the wrong type or shape is a 401, never a 500.
    const { typ, sub, sid, iat, exp } = payload;
    if (
      typ !== 'access' ||
      typeof sub !== 'string' ||
      !UUID.test(sub) ||
      typeof sid !== 'string' ||
      !UUID.test(sid) ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    ) {
      throw unauthorized('the token is not a login token');
    }
    const principal = await loadSessionPrincipal(em, sub, sid, systemClock.now());
    if (principal === 'ended') throw unauthorized('the session has ended (logout, password change or deactivation); log in again');
    if (!principal) throw unauthorized('the account is inactive or gone');
    return principal;
  };

  fastify.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (!auth || 'public' in auth) return;
    const roles = auth.roles;
    const guard: onRequestHookHandler = async (request) => {
      request.principal = await authenticate(request);
      if (roles !== 'any') requireRole(request.principal, roles);
    };
    route.onRequest = [guard, ...(route.onRequest ? [route.onRequest].flat() : [])];
    route.schema = {
      ...route.schema,
      security: [{ bearer: [] }],
      response: { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 400: ErrorBody, ...(route.schema?.response as object | undefined) },
    };
    if (roles !== 'any') {
      const note = `Roles: ${roles.join(', ')}.`;
      route.schema.description = route.schema.description ? `${route.schema.description}\n\n${note}` : note;
    }
  });
}

/** Signs a login token for an account's session (the family of its refresh tokens). */
export const signAccessToken = (fastify: FastifyInstance, accountId: string, sessionId: string) =>
  fastify.jwt.sign({ sub: accountId, sid: sessionId, typ: 'access' });
