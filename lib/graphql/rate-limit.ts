import { failureLimiter, takeAttempt } from '../auth/throttle';
import type { Principal } from '../auth/principal';
import { AppError, isAppError } from '../errors';

/**
 * GraphQL requests per principal (an API key, or a signed-in staff member) per minute. A full page of
 * the audit trail is 200 events, so this is 48,000 events a minute for one script, and it keeps one
 * key from taking the server from everyone else. Counted through Redis when REDIS_URL is set.
 */
export const GRAPHQL_RATE = { requests: 240, perSeconds: 60 } as const;

const limiter = () => failureLimiter('graphql-principal', GRAPHQL_RATE.requests, GRAPHQL_RATE.perSeconds, 0);

export const principalKey = (p: Principal) => (p.kind === 'apikey' ? `apikey:${p.keyId}` : `staff:${p.userId}`);

/**
 * Takes one request from the principal's budget before anything is parsed or executed; throws
 * rate_limited (429 with Retry-After) when it is spent. Every request counts, successful or not.
 */
export async function takeGraphqlRequest(p: Principal): Promise<void> {
  try {
    await takeAttempt([[limiter(), principalKey(p)]]);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'rate_limited') throw e;
    throw new AppError('rate_limited', `Too many GraphQL requests: at most ${GRAPHQL_RATE.requests} a minute for each API key or signed-in user. Retry after ${e.retryAfterSeconds ?? 60} s.`, { retryAfterSeconds: e.retryAfterSeconds });
  }
}
