import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { staffFromCookie } from '../auth/resolve';
import type { Principal } from '../auth/principal';
import { factsFromHeaders } from './request-facts';

/** The signed-in staff member for a server component or server action, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  const cookie = c.getAll().map((x) => `${x.name}=${encodeURIComponent(x.value)}`).join('; ');
  return staffFromCookie(cookie || null, factsFromHeaders(h));
}

/** Same, but sends the visitor to the sign-in page when nobody is signed in. */
export async function requirePrincipal(): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) redirect('/signin');
  return p;
}
