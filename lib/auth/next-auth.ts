import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { config } from '../config';
import { deriveKey } from '../crypto/master-key';
import { toAppError } from '../errors';
import { signInStaff } from './staff-auth';
import { CLIENT_IP_HEADER } from '../http/client-ip';

export const SESSION_MAX_AGE = 8 * 60 * 60;

/** next-auth's secret is derived from the master key, so there is no extra secret to manage. */
export const nextAuthSecret = () => process.env.NEXTAUTH_SECRET ?? deriveKey('next-auth').toString('base64url');
export const secureCookies = () => config().publicUrl.startsWith('https://');

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: nextAuthSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE },
    useSecureCookies: secureCookies(),
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(creds, req) {
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          try {
            const user = await signInStaff(creds, { ip: headers[CLIENT_IP_HEADER] ?? null, userAgent: headers['user-agent'] ?? null });
            return { id: user.id, email: user.email, name: user.name };
          } catch (e) {
            // next-auth passes the message to the client as `error`: only our stable codes go out.
            throw new Error(toAppError(e).code); // database_unavailable when PostgreSQL is down
          }
        },
      }),
    ],
    callbacks: {
      // Role and organisation are looked up on every request (lib/auth/resolve.ts), not trusted from the cookie.
      async jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
    },
  };
  return cached;
}
