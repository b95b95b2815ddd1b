/**
 * A path segment whose percent-escapes do not decode (invalid UTF-8 such as %C3%28 or %FF, or a stray
 * "%") makes Next answer 500 before any of our code runs. Such a segment is turned into the literal
 * text it was sent as ("%C3%28" becomes "%25C3%2528", which decodes back to "%C3%28"), so the route
 * behind it receives an ordinary string, refuses it as a malformed id (404) and can audit it.
 * Everything else, the query string included, passes unchanged.
 */
export function literalizeUndecodablePath(url: string): string {
  const q = url.search(/[?#]/);
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes('%')) return url;
  let changed = false;
  const segments = path.split('/').map((seg) => {
    if (!seg.includes('%')) return seg;
    try {
      decodeURIComponent(seg);
      return seg;
    } catch {
      changed = true;
      return seg.replace(/%/g, '%25');
    }
  });
  return changed ? segments.join('/') + (q === -1 ? '' : url.slice(q)) : url;
}
