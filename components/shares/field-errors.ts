export interface ActionError { code: string; message: string; fields?: Record<string, string> }

/**
 * Turns an ActionResult error into one message per form field. Zod paths such as "recipients.2" name
 * the entry, which the form can quote back; domain checks that run after parsing (expiry against the
 * org policy, IP range syntax) prefix their message with the field or name it in words.
 */
export function fieldErrors(err: ActionError | null, lists: Record<string, string[]> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  if (!err) return out;
  for (const [path, msg] of Object.entries(err.fields ?? {})) {
    const [field, index] = path.split('.');
    const entry = index !== undefined ? lists[field]?.[Number(index)] : undefined;
    out[field] ??= entry !== undefined ? `“${entry}”: ${msg}` : msg;
  }
  if (err.code === 'validation_failed' && !err.fields) {
    const prefixed = /^([a-zA-Z]+): (.+)$/.exec(err.message);
    if (prefixed) out[prefixed[1]] = prefixed[2].charAt(0).toUpperCase() + prefixed[2].slice(1);
    else if (/^Invalid IP range/.test(err.message)) out.allowedIpRanges = err.message;
  }
  return out;
}

/** The message to show above the form when no field claims the error. */
export function formLevelError(err: ActionError | null, fields: Record<string, string>): string | null {
  if (!err) return null;
  if (Object.keys(fields).length) return 'Some fields need attention. They are marked below.';
  return err.message;
}
