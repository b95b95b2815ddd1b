/** Link tokens are 32 random bytes in base64url: exactly 43 characters. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** Accepts a full share URL (any host: guests paste what they were sent) or the bare token. */
export function tokenFromLink(link: string): string | null {
  const s = link.trim();
  if (TOKEN_RE.test(s)) return s;
  let path: string;
  try { path = new URL(s).pathname; } catch { return null; }
  const m = /^\/s\/([A-Za-z0-9_-]{43})\/?$/.exec(path);
  return m ? m[1] : null;
}

export const isLinkToken = (t: string) => TOKEN_RE.test(t);
