// Password login (argon2) issuing 15-minute JWTs with a rotating refresh token, refresh and
// logout, changing one's own password, the caller's own identity, and API tokens for
// integrations (shown once, stored as SHA-256).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Account } from '../../../domain/entities/account.ts';
import { ApiToken } from '../../../domain/entities/api-token.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, loadPrincipal, type Principal } from '../../../domain/auth/principal.ts';
import { hashPassword, verifyPassword } from '../../../domain/auth/passwords.ts';
import { endAccountSessions, familyOf, issueRefreshToken, revokeFamily, rotateRefreshToken, type IssuedRefreshToken } from '../../../domain/auth/sessions.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from '../../../domain/auth/secrets.ts';
import { badRequest, notFound, unauthorized } from '../../../domain/errors.ts';
import { ACCESS_TOKEN_SECONDS, emOf, principalOf, signAccessToken } from '../../plugins/auth.ts';
import { ErrorBody, IdParams, iso } from '../../schemas/common.ts';
import { ApiTokenCreate, ApiTokenCreated, ApiTokenInfo, apiTokenExample, LoginBody, LoginReply, PasswordChange, RefreshBody } from '../../schemas/auth.ts';
import { MeWithHoldings } from '../../schemas/postings.ts';
import { callerHoldings } from '../../services/postings/postings.ts';
// Sessions and API tokens live on the host's clock (domain/auth/sessions.ts says why).
import { systemClock } from '../../../domain/clock.ts';

const tags = ['auth'];

const meDto = (p: Principal) => ({
  accountId: p.accountId,
  login: p.login,
  displayName: p.displayName,
  personId: p.personId,
  via: p.via,
  grants: p.grants.map((g) => ({ role: g.role, unitId: g.unitId, organizationId: g.organizationId })),
});

const tokenDto = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  expiresAt: iso(t.expiresAt),
  revokedAt: iso(t.revokedAt),
  lastUsedAt: iso(t.lastUsedAt),
  createdAt: iso(t.createdAt)!,
});

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const sessionReply = (principal: Principal, refresh: IssuedRefreshToken) => ({
    accessToken: signAccessToken(app, principal.accountId, refresh.row.familyId),
    tokenType: 'Bearer' as const,
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshToken: refresh.token,
    refreshExpiresAt: refresh.row.expiresAt.toISOString(),
    me: meDto(principal),
  });

  app.post('/auth/login', {
    config: {
      auth: { public: true },
      // Failed logins are counted per login name and per address (api/plugins/throttle.ts).
      throttle: 'login',
    },
    schema: {
      tags,
      summary: 'Log in with login name and password; returns a 15-minute bearer token and a refresh token',
      body: LoginBody,
      response: { 200: LoginReply, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
    },
  }, async (request) => {
    const em = emOf(request);
    const account = await em.findOne(Account, { login: request.body.login, active: true });
    const ok = await verifyPassword(account?.passwordHash ?? null, request.body.password);
    if (!account || !ok) throw unauthorized('wrong login or password');
    const principal = (await loadPrincipal(em, account.id, 'password'))!;
    const refresh = await em.transactional(async (tx) => {
      await tx.nativeUpdate(Account, { id: account.id }, { lastLoginAt: systemClock.now() });
      const issued = await issueRefreshToken(tx, account.id, app.services.config.REFRESH_TOKEN_DAYS);
      await recordAudit(tx, {
        actor: auditActor(principal),
        action: 'auth.login',
        entityType: 'account',
        entityId: account.id,
        after: { session: issued.row.familyId },
      });
      return issued;
    });
    return sessionReply(principal, refresh);
  });

  app.post('/auth/refresh', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: 'Exchange a refresh token for a new access token and a new refresh token',
      description:
        'The presented refresh token stops working. Presenting a refresh token that was already exchanged ends the whole session (the token was ' +
          'copied) and answers 401, as does an expired or revoked one.',
      body: RefreshBody,
      response: { 200: LoginReply, 400: ErrorBody, 401: ErrorBody },
    },
  }, async (request) => {
    const days = app.services.config.REFRESH_TOKEN_DAYS;
    // Committed even when the answer is 401: revoking a replayed token's family must stick.
    const result = await emOf(request).transactional((tx) => rotateRefreshToken(tx, request.body.refreshToken, days));
    if (!result.ok) {
      if (result.reason === 'reused' && result.accountId) {
        await emOf(request).transactional((tx) => recordAudit(tx, {
          actor: { accountId: result.accountId!, label: 'refresh-token-reuse' },
          action: 'auth.session_revoked',
          entityType: 'account',
          entityId: result.accountId!,
          after: { session: result.familyId, reason: 'a refresh token was presented twice' },
        }));
      }
      throw unauthorized(
        result.reason === 'reused'
          ? 'the refresh token was already used; the session is ended, log in again'
          : 'the refresh token is unknown, expired or revoked; log in again',
      );
    }
    const principal = await loadPrincipal(emOf(request), result.accountId, 'password');
    if (!principal) throw unauthorized('the account is inactive or gone');
    return sessionReply(principal, result.issued);
  });

  app.post('/auth/logout', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: 'End the session of a refresh token; its access tokens stop working at once',
      body: RefreshBody,
      response: { 204: Type.Null(), 400: ErrorBody },
    },
  }, async (request, reply) => {
    await emOf(request).transactional(async (tx) => {
      const session = await familyOf(tx, request.body.refreshToken);
      // An unknown token answers the same 204: logging out is never an oracle for tokens.
      if (!session) return;
      if ((await revokeFamily(tx, session.familyId, 'logout')) > 0) {
        await recordAudit(tx, {
          actor: { accountId: session.accountId, label: 'logout' },
          action: 'auth.logout',
          entityType: 'account',
          entityId: session.accountId,
          after: { session: session.familyId },
        });
      }
    });
    return reply.status(204).send(null);
  });

  app.post('/auth/password', {
    config: {
      auth: { roles: 'any' },
      // Guessing the current password with a stolen access token is as slow as guessing a login.
      throttle: 'password',
    },
    schema: {
      tags,
      summary: 'Change your own password (the current one is required)',
      description:
        'Ends every session of the account, this one included: refresh tokens are revoked and access tokens issued before the change stop working, so ' +
          'log in again with the new password. API tokens keep working.',
      body: PasswordChange,
      response: { 204: Type.Null(), 429: ErrorBody },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (principal.via !== 'password') throw badRequest('an API token cannot change the password', [{ field: 'authorization', rule: 'must be a login token' }]);
    const { currentPassword, newPassword } = request.body;
    const account = await emOf(request).findOne(Account, { id: principal.accountId });
    if (!account || !(await verifyPassword(account.passwordHash, currentPassword))) {
      throw badRequest('the current password is wrong', [{ field: 'body.currentPassword', rule: 'must be your current password' }]);
    }
    if (currentPassword === newPassword)
      throw badRequest('the new password is the current one', [{ field: 'body.newPassword', rule: 'must differ from the current password' }]);
    const passwordHash = await hashPassword(newPassword);
    await emOf(request).transactional(async (tx) => {
      await tx.nativeUpdate(Account, { id: account.id }, { passwordHash });
      const ended = await endAccountSessions(tx, account.id, 'password');
      await recordAudit(tx, {
        actor: auditActor(principal),
        action: 'auth.password_change',
        entityType: 'account',
        entityId: account.id,
        after: { passwordChanged: true, sessionsEnded: ended },
      });
    });
    return reply.status(204).send(null);
  });

  app.get('/auth/me', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Who you are, the roles you hold, your postings under way and the organizations you act for', response: { 200: MeWithHoldings } },
  }, async (request) => ({ ...meDto(principalOf(request)), ...(await callerHoldings(emOf(request), principalOf(request))) }));

  app.get('/auth/tokens', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Your API tokens (without their secrets)', response: { 200: Type.Array(ApiTokenInfo, { examples: [[apiTokenExample]] }) } },
  }, async (request) => {
    const tokens = await emOf(request).find(ApiToken, { account: principalOf(request).accountId }, { orderBy: { createdAt: 'desc' } });
    return tokens.map(tokenDto);
  });

  app.post('/auth/tokens', {
    config: { auth: { roles: 'any' } },
    schema: {
      tags,
      summary: 'Create an API token for an integration; it acts with your roles. The token is shown once.',
      body: ApiTokenCreate,
      response: { 201: ApiTokenCreated },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (principal.via === 'api_token') throw badRequest('an API token cannot create tokens', [{ field: 'authorization', rule: 'must be a login token' }]);
    const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= systemClock.now().getTime())
      throw badRequest('expiry in the past', [{ field: 'body.expiresAt', rule: 'must be in the future' }]);
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
      token.revokedAt ??= systemClock.now();
      await em.flush();
      await recordAudit(em, {
        actor: auditActor(principal),
        action: 'api_token.revoke',
        entityType: 'api_token',
        entityId: token.id,
        before,
        after: tokenDto(token),
      });
      return tokenDto(token);
    });
  });
};
