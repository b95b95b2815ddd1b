import type { ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import { AppError, toAppError } from '../errors';
import { log } from '../log';

/** The one place an error becomes an HTTP answer: status, body and the RFC 6750 / 7231 headers. */
export function describeError(e: unknown): { status: number; headers: Record<string, string>; body: { error: string; error_description: string; issues?: unknown; [extra: string]: unknown } } {
  let err: AppError;
  let issues: unknown;
  if (e instanceof ZodError) {
    err = new AppError('validation_failed', e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; '));
    issues = e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  } else {
    err = toAppError(e);
  }
  if (err.code === 'internal') log.error({ err: e }, 'unhandled error');
  else if (err.code === 'database_unavailable') log.warn({ err: (e as Error)?.message }, 'database unavailable');
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (err.code === 'invalid_token' || err.code === 'unauthenticated') {
    headers['www-authenticate'] = err.code === 'invalid_token'
      ? `Bearer realm="liaison", error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"`
      : 'Bearer realm="liaison"';
  }
  // Every 401 must name a scheme (RFC 9110 §11.6.1). A share password is not HTTP authentication, and
  // "Basic" would make browsers pop a login dialog, so it gets a scheme of its own that they ignore.
  if (['password_required', 'invalid_password', 'invalid_credentials'].includes(err.code)) headers['www-authenticate'] = 'Share-Password realm="liaison"';
  if (['email_required', 'invalid_code'].includes(err.code)) headers['www-authenticate'] = 'Email-Code realm="liaison"';
  if (err.code === 'insufficient_scope') headers['www-authenticate'] = `Bearer realm="liaison", error="insufficient_scope", error_description="${err.message.replace(/"/g, "'")}"`;
  if (err.retryAfterSeconds) headers['retry-after'] = String(err.retryAfterSeconds);
  return { status: err.status, headers, body: { ...(err.extra ?? {}), error: err.code, error_description: err.message, ...(issues ? { issues } : {}) } };
}

export function errorResponse(e: unknown): Response {
  const d = describeError(e);
  return new Response(JSON.stringify(d.body), { status: d.status, headers: d.headers });
}

export function sendError(res: ServerResponse, e: unknown): void {
  const d = describeError(e);
  if (res.headersSent) { res.destroy(); return; }
  // Closing the connection stops the client from sending the rest of a refused upload.
  res.writeHead(d.status, { ...d.headers, connection: 'close' });
  res.end(JSON.stringify(d.body));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
