/**
 * Where to go after signing in: only a path on this site. "//evil.test" and "/\evil.test" are
 * protocol-relative to browsers, and absolute URLs could point anywhere, so both fall back to "/".
 */
export function safeCallbackPath(raw: string | string[] | null | undefined): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\') || /[\u0000-\u001f]/.test(v)) return '/';
  if (v === '/signin' || v.startsWith('/signin?') || v.startsWith('/api/')) return '/';
  return v;
}
