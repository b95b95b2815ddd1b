import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { ErrorCode } from '../errors';
import { describeError } from './error-response';
import { currentPrincipal } from './next-session';
import { requireIds, type IdFields } from './staff-ids';

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode | string; message: string; fields?: Record<string, string> } };

export interface StaffActionOptions<S extends z.ZodType> {
  /** A fixed label for the audit trail, e.g. "action revokeShare". */
  where: string;
  /** Every id the action takes, by name, from its raw input; checked before the input is parsed. */
  ids: (input: z.input<S>) => IdFields;
}

/**
 * Wraps a server action: authenticates the staff member, checks the ids it takes (a malformed one is
 * audited and answered not_found), parses the input with zod, calls the domain, and turns any error
 * into a typed result the form can show. Next checks the Origin of server actions.
 */
export function staffAction<S extends z.ZodType, R>(schema: S, fn: (p: Principal, input: z.infer<S>) => Promise<R>, opts?: StaffActionOptions<S>) {
  return async (input: z.input<S>): Promise<ActionResult<R>> => {
    try {
      const p = await currentPrincipal();
      if (!p) return { ok: false, error: { code: 'unauthenticated', message: 'Your session has ended. Sign in again.' } };
      // Server action arguments arrive from the client as they were sent, whatever the TypeScript types say.
      if (opts) await requireIds(p, opts.where, opts.ids((input ?? {}) as z.input<S>));
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        const fields: Record<string, string> = {};
        for (const i of parsed.error.issues) fields[i.path.join('.') || '_'] ??= i.message;
        return { ok: false, error: { code: 'validation_failed', message: 'Check the highlighted fields.', fields } };
      }
      return { ok: true, data: await fn(p, parsed.data) };
    } catch (e) {
      const d = describeError(e);
      return { ok: false, error: { code: d.body.error, message: d.body.error_description } };
    }
  };
}
