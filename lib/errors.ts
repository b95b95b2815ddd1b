/** Typed domain errors. The code is stable and public; the message is safe to show to the caller. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_token: 401,
  invalid_credentials: 401,
  password_required: 401,
  invalid_password: 401,
  email_required: 401,
  invalid_code: 401,
  totp_required: 401,
  forbidden: 403,
  insufficient_scope: 403,
  terms_required: 403,
  ip_denied: 403,
  geo_denied: 403,
  device_denied: 403,
  download_not_allowed: 403,
  tlp_denied: 403,
  // 28 CFR Part 23: criminal intelligence goes only to law-enforcement partners with a need to know.
  cji_not_permitted: 403,
  approval_pending: 403,
  guest_disabled: 403,
  sso_required: 403,
  invitation_required: 403,
  not_found: 404,
  conflict: 409,
  expired: 410,
  revoked: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  database_unavailable: 503,
  // The audit trail could not record the access, so nothing was released (retry).
  audit_unavailable: 503,
  // The file store (S3) failed or timed out: nothing was stored or served (retry).
  storage_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  /** Extra public fields of the error body, e.g. `sso_url` on sso_required. */
  readonly extra?: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, message: string, opts: { retryAfterSeconds?: number; cause?: unknown; extra?: Record<string, string> } = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.extra = opts.extra;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** True when the error means PostgreSQL could not be reached (as opposed to a bad query). */
export function isDatabaseDown(e: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const o = cur as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    const code = typeof o.code === 'string' ? o.code : '';
    const msg = typeof o.message === 'string' ? o.message : '';
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', 'P1001', 'P1017'].includes(code)) return true;
    if (/Connection terminated|connect ECONNREFUSED|Can't reach database|server closed the connection|DatabaseNotReachable/i.test(msg)) return true;
    cur = o.cause;
  }
  return false;
}

/**
 * True when the database is up but too busy to take the work in time: an interactive transaction that
 * could not start within its wait (Prisma P2028), or no pooled connection free in time (P2024). The
 * request did nothing, so it is as retryable as an outage, not a server error.
 */
export function isDatabaseBusy(e: unknown): boolean {
  const o = e as { code?: unknown; message?: unknown } | null;
  if (!o || typeof o !== 'object') return false;
  if (o.code === 'P2024') return true;
  return o.code === 'P2028' && typeof o.message === 'string' && /Unable to start a transaction in the given time/i.test(o.message);
}

/** Maps any thrown value to an AppError without leaking internals. */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  if (isDatabaseDown(e)) return new AppError('database_unavailable', 'The database is unavailable. Try again shortly.', { cause: e });
  if (isDatabaseBusy(e)) return new AppError('database_unavailable', 'The database is busy. Try again shortly.', { cause: e, retryAfterSeconds: 2 });
  return new AppError('internal', 'Something went wrong on our side.', { cause: e });
}
