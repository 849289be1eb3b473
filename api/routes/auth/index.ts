// Password login (argon2) issuing 15-minute JWTs, the caller's own identity, and API tokens
// for integrations (shown once, stored as SHA-256).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { Account } from '../../../domain/entities/account.ts';
import { ApiToken } from '../../../domain/entities/api-token.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, loadPrincipal, type Principal } from '../../../domain/auth/principal.ts';
import { verifyPassword } from '../../../domain/auth/passwords.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from '../../../domain/auth/secrets.ts';
import { badRequest, notFound, unauthorized } from '../../errors.ts';
import { ACCESS_TOKEN_SECONDS, emOf, principalOf, signAccessToken } from '../../plugins/auth.ts';
import { ErrorBody, IdParams, iso } from '../../schemas/common.ts';
import { ApiTokenCreate, ApiTokenCreated, ApiTokenInfo, apiTokenExample, LoginBody, LoginReply, Me } from '../../schemas/auth.ts';

const tags = ['auth'];

const meDto = (p: Principal) => ({
  accountId: p.accountId,
  login: p.login,
  displayName: p.displayName,
  personId: p.personId,
  via: p.via,
  grants: p.grants.map((g) => ({ role: g.role, unitId: g.unitId, organizationId: g.organizationId })),
});

const tokenDto = (t: ApiToken) => ({ id: t.id, name: t.name, expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt), lastUsedAt: iso(t.lastUsedAt), createdAt: iso(t.createdAt)! });

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/auth/login', {
    config: {
      auth: { public: true },
      // Slows password guessing per login name, not per address (many staff share one NAT).
      rateLimit: { max: 10, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: (request: FastifyRequest) => `login:${(request.body as { login?: string } | undefined)?.login ?? request.ip}` },
    },
    schema: { tags, summary: 'Log in with login name and password; returns a 15-minute bearer token', body: LoginBody, response: { 200: LoginReply, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody } },
  }, async (request) => {
    const em = emOf(request);
    const account = await em.findOne(Account, { login: request.body.login, active: true });
    const ok = await verifyPassword(account?.passwordHash ?? null, request.body.password);
    if (!account || !ok) throw unauthorized('wrong login or password');
    const principal = (await loadPrincipal(em, account.id, 'password'))!;
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(Account, { id: account.id }, { lastLoginAt: new Date() });
      await recordAudit(tx, { actor: auditActor(principal), action: 'auth.login', entityType: 'account', entityId: account.id });
    });
    return { accessToken: signAccessToken(app, account.id), tokenType: 'Bearer' as const, expiresIn: ACCESS_TOKEN_SECONDS, me: meDto(principal) };
  });

  app.get('/auth/me', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Who you are and the roles you hold', response: { 200: Me } },
  }, async (request) => meDto(principalOf(request)));

  app.get('/auth/tokens', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Your API tokens (without their secrets)', response: { 200: Type.Array(ApiTokenInfo, { examples: [[apiTokenExample]] }) } },
  }, async (request) => {
    const tokens = await emOf(request).find(ApiToken, { account: principalOf(request).accountId }, { orderBy: { createdAt: 'desc' } });
    return tokens.map(tokenDto);
  });

  app.post('/auth/tokens', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Create an API token for an integration; it acts with your roles. The token is shown once.', body: ApiTokenCreate, response: { 201: ApiTokenCreated } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (principal.via === 'api_token') throw badRequest('an API token cannot create tokens', [{ field: 'authorization', rule: 'must be a login token' }]);
    const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw badRequest('expiry in the past', [{ field: 'body.expiresAt', rule: 'must be in the future' }]);
    const secret = newSecret(API_TOKEN_PREFIX);
    const created = await emOf(request).transactional(async (em) => {
      const token = em.create(ApiToken, { account: principal.accountId, name: request.body.name, tokenHash: hashSecret(secret), expiresAt });
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'api_token.create', entityType: 'api_token', entityId: token.id, after: tokenDto(token) });
      return token;
    });
    return reply.status(201).send({ id: created.id, name: created.name, expiresAt: iso(created.expiresAt), token: secret });
  });

  app.delete('/auth/tokens/:id', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Revoke one of your API tokens', params: IdParams, response: { 200: ApiTokenInfo } },
  }, async (request) => {
    const principal = principalOf(request);
    return emOf(request).transactional(async (em) => {
      const token = await em.findOne(ApiToken, { id: request.params.id, account: principal.accountId });
      if (!token) throw notFound('API token');
      const before = tokenDto(token);
      token.revokedAt ??= new Date();
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'api_token.revoke', entityType: 'api_token', entityId: token.id, before, after: tokenDto(token) });
      return tokenDto(token);
    });
  });
};
