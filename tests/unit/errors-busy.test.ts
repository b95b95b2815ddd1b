import { describe, expect, it } from 'vitest';
import { Prisma } from '../../lib/generated/prisma/client';
import { toAppError } from '../../lib/errors';
import { describeError } from '../../lib/http/error-response';

const prismaError = (code: string, message: string) => new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: 'test' });

// A database that is up but too busy to start a transaction in time did nothing: the answer is a
// retryable 503, as for an outage, never a 500 (a guest's first session in a new organisation met this
// under load: creating the organisation's signing key could not start its transaction within 2 s).
describe('a busy database', () => {
  it('is a retryable 503 when a transaction cannot start in time, or no connection is free', () => {
    for (const e of [
      prismaError('P2028', 'Transaction API error: Unable to start a transaction in the given time.'),
      prismaError('P2024', 'Timed out fetching a new connection from the connection pool.'),
    ]) {
      const err = toAppError(e);
      expect(err).toMatchObject({ code: 'database_unavailable', status: 503, retryAfterSeconds: 2 });
      const d = describeError(e);
      expect(d.status).toBe(503);
      expect(d.headers['retry-after']).toBe('2');
      expect(d.body.error_description).not.toMatch(/Prisma|P20/);
    }
  });

  it('other transaction errors stay internal errors', () => {
    expect(toAppError(prismaError('P2028', 'Transaction API error: Transaction already closed.')).code).toBe('internal');
    expect(toAppError(prismaError('P2002', 'Unique constraint failed')).code).toBe('internal');
  });
});
