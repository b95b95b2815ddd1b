import { cache } from 'react';
import { requirePrincipal } from '@/lib/http/next-session';

/** The signed-in staff member, looked up once per request however many components ask. */
export const consolePrincipal = cache(requirePrincipal);
