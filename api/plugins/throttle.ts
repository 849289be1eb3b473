// Rate limits of the routes anyone can call without logging in, and of the login.
//
// Budgets are sized for a whole factory or street office behind one address: a client (one
// address) gets short bursts, a link gets a daily cap, and a client that keeps asking for links
// that do not exist (guessing) is stopped after a few misses while the links it was already
// answered keep working for the people behind it. The login counts failures per login name
// (brute force on one account) and per address (one address trying many accounts); a
// successful login costs nothing, so an office that logs in all morning is never stopped.
//
// Counters live in this process (fixed windows); with several API processes each enforces its
// own budget. Behind a reverse proxy, set Fastify's trustProxy so the address is the client's.
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onResponseHookHandler, preHandlerHookHandler } from 'fastify';
import { ErrorBody } from '../schemas/common.ts';
import { systemClock } from '../../domain/clock.ts';

// Rate limits count requests in the host's time (a sandbox's calendar moves must not refill them).
const wallMs = () => systemClock.now().getTime();

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `login`: the login budgets (per login name and per address) instead of the anonymous ones;
     * `password`: refused attempts to change the signed-in account's password.
     */
    throttle?: 'login' | 'password';
  }
  interface FastifyRequest {
    /** Provisional charges of this request, settled when the answer is known. */
    throttleCharges?: Charge[];
  }
}

export interface Budget {
  /** What is counted, in words for the 429 (e.g. "requests a minute from one address"). */
  what: string;
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const BUDGETS = {
  /** Pages read through links by one address: a factory opening a link from a WeChat group at once. */
  clientReads: { what: 'page views a minute from one address', limit: 600, windowMs: MINUTE },
  /** Answers, feedback and objections sent by one address: a factory answering a survey in its lunch break. */
  clientWrites: { what: 'submissions a minute from one address', limit: 120, windowMs: MINUTE },
  /** Unknown, expired or revoked links asked for by one address (nobody mistypes 30 links in 10 minutes). */
  clientMisses: { what: 'unknown or expired links in 10 minutes from one address', limit: 30, windowMs: 10 * MINUTE },
  linkReads: { what: 'page views a day of one link', limit: 50_000, windowMs: DAY },
  linkWrites: { what: 'submissions a day through one link', limit: 5_000, windowMs: DAY },
  /** Wrong passwords for one login name from one address: stops guessing one account. */
  loginFailuresPerNameAndClient: { what: 'failed logins of one account in 15 minutes from one address', limit: 10, windowMs: 15 * MINUTE },
  /**
   * Wrong passwords for one login name from anywhere: stops guessing from many addresses, while
   * one guessing address alone cannot lock the account's owner out.
   */
  loginFailuresPerName: { what: 'failed logins of one account in 15 minutes', limit: 50, windowMs: 15 * MINUTE },
  /** Wrong passwords from one address: stops one address trying many accounts, not an office mistyping. */
  loginFailuresPerClient: { what: 'failed logins in 15 minutes from one address', limit: 100, windowMs: 15 * MINUTE },
  /** Every login attempt from one address: a street office of a few hundred people logging in each morning. */
  loginAttemptsPerClient: { what: 'logins a minute from one address', limit: 300, windowMs: MINUTE },
  /** Refused password changes of one account: guessing the current password with a stolen token is as slow as guessing a login. */
  passwordChangeFailures: { what: 'refused password changes of one account in 15 minutes', limit: 10, windowMs: 15 * MINUTE },
} satisfies Record<string, Budget>;

/** Keys kept at most; the oldest windows go first when guessing fills the table. */
const MAX_KEYS = 200_000;

interface Window {
  count: number;
  resetAt: number;
}

interface Charge {
  key: string;
  budget: Budget;
  /** Refunded unless the answer has this property (e.g. a miss, a failed login). */
  keepIf?: (status: number) => boolean;
}

/** Fixed-window counters keyed by budget and subject. */
export class Counters {
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;
  constructor(now: () => number = wallMs) {
    this.now = now;
  }

  /** Milliseconds until the budget has room again, or 0 when it has room now. */
  wait(key: string, budget: Budget): number {
    const w = this.windows.get(key);
    const now = this.now();
    if (!w || w.resetAt <= now || w.count < budget.limit) return 0;
    return w.resetAt - now;
  }

  add(key: string, budget: Budget, n = 1): void {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= MAX_KEYS) this.sweep(now);
      w = { count: 0, resetAt: now + budget.windowMs };
      this.windows.set(key, w);
    }
    w.count = Math.max(0, w.count + n);
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_KEYS * 0.9) break;
      this.windows.delete(key);
    }
  }
}

/** Tokens recently answered as valid, per process: a client over its miss budget still reaches these. */
class RecentLinks {
  private readonly seen = new Map<string, number>();
  remember(token: string, until: number): void {
    this.seen.delete(token);
    this.seen.set(token, until);
    if (this.seen.size > 50_000) this.seen.delete(this.seen.keys().next().value!);
  }
  has(token: string, now: number): boolean {
    const until = this.seen.get(token);
    return until !== undefined && until > now;
  }
}

function refuse(reply: FastifyReply, waitMs: number, budget: Budget): FastifyReply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return reply
    .status(429)
    .header('retry-after', String(seconds))
    .send({
      error: 'rate_limited',
      message: `too many requests: at most ${budget.limit} ${budget.what}; try again in ${seconds} seconds`,
      details: [{ field: 'client', rule: `at most ${budget.limit} ${budget.what}` }],
    });
}

const isMiss = (status: number) => status === 404 || status === 410;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type Budgets = typeof BUDGETS;

export interface ThrottleOptions {
  now?: () => number;
  /** Other budgets (tests of the mechanism). */
  budgets?: Partial<Budgets>;
}

/** Installs the budgets on every anonymous route; call before the routes are added. */
export function registerThrottle(fastify: FastifyInstance, options: ThrottleOptions = {}): void {
  const now = options.now ?? wallMs;
  const budgets: Budgets = { ...BUDGETS, ...options.budgets };
  const counters = new Counters(now);
  const recent = new RecentLinks();

  /** Checks every charge first (nothing is spent on a refused request), then spends them all. */
  const spend = (request: FastifyRequest, reply: FastifyReply, charges: Charge[]): FastifyReply | undefined => {
    for (const c of charges) {
      const wait = counters.wait(c.key, c.budget);
      if (wait > 0) return refuse(reply, wait, c.budget);
    }
    for (const c of charges) counters.add(c.key, c.budget);
    request.throttleCharges = charges;
    return undefined;
  };

  const settle: onResponseHookHandler = async (request, reply) => {
    for (const c of request.throttleCharges ?? []) if (c.keepIf && !c.keepIf(reply.statusCode)) counters.add(c.key, c.budget, -1);
    const token = (request.params as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string' && reply.statusCode < 400) recent.remember(token, now() + DAY);
  };

  const anonymous: onRequestHookHandler = async (request, reply) => {
    const write = WRITE_METHODS.has(request.method);
    const client = `client:${request.ip}`;
    const charges: Charge[] = [write ? { key: `${client}:writes`, budget: budgets.clientWrites } : { key: `${client}:reads`, budget: budgets.clientReads }];
    const token = (request.params as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string') {
      charges.push(write ? { key: `link:${token}:writes`, budget: budgets.linkWrites } : { key: `link:${token}:reads`, budget: budgets.linkReads });
      // Counted as a miss until the answer says otherwise, so parallel guesses are stopped too.
      if (!recent.has(token, now())) charges.push({ key: `${client}:misses`, budget: budgets.clientMisses, keepIf: isMiss });
    }
    return spend(request, reply, charges);
  };

  const login: preHandlerHookHandler = async (request, reply) => {
    const client = `client:${request.ip}`;
    const name = (request.body as { login?: unknown } | undefined)?.login;
    const failed = (status: number) => status === 401;
    const charges: Charge[] = [
      { key: `${client}:logins`, budget: budgets.loginAttemptsPerClient },
      { key: `${client}:login-failures`, budget: budgets.loginFailuresPerClient, keepIf: failed },
    ];
    if (typeof name === 'string') {
      charges.push({ key: `${client}:login:${name}`, budget: budgets.loginFailuresPerNameAndClient, keepIf: failed });
      charges.push({ key: `login:${name}`, budget: budgets.loginFailuresPerName, keepIf: failed });
    }
    return spend(request, reply, charges);
  };

  const passwordChange: preHandlerHookHandler = async (request, reply) => {
    const account = request.principal?.accountId ?? `client:${request.ip}`;
    return spend(request, reply, [{ key: `password:${account}`, budget: budgets.passwordChangeFailures, keepIf: (status) => status >= 400 }]);
  };

  fastify.addHook('onRoute', (route) => {
    const throttle = route.config?.throttle;
    const auth = route.config?.auth as { public?: boolean } | undefined;
    if (throttle === 'login' || throttle === 'password') {
      route.preHandler = [throttle === 'login' ? login : passwordChange, ...(route.preHandler ? [route.preHandler].flat() : [])];
    } else if (auth?.public) {
      route.onRequest = [anonymous, ...(route.onRequest ? [route.onRequest].flat() : [])];
    } else return;
    route.onResponse = [settle, ...(route.onResponse ? [route.onResponse].flat() : [])];
    if (route.schema) {
      const note = 'Rate-limited (per address, link or account): 429 `rate_limited` with Retry-After when over budget.';
      route.schema = {
        ...route.schema,
        description: route.schema.description ? `${route.schema.description}\n\n${note}` : note,
        response: { 429: ErrorBody, ...(route.schema.response as object | undefined) },
      };
    }
  });
}
