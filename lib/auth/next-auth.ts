import NextAuth, { type NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { config } from '../config';
import { deriveKey } from '../crypto/master-key';
import { toAppError } from '../errors';
import { signInStaff } from './staff-auth';
import { SESSION_MAX_AGE_SECONDS, signOutSession } from './sessions';
import { CLIENT_IP_HEADER } from '../http/client-ip';
import { errorResponse } from '../http/error-response';
import { factsFromHeaders } from '../http/request-facts';

declare module 'next-auth' {
  interface User { sid?: string }
}
declare module 'next-auth/jwt' {
  interface JWT { sid?: string }
}

export const SESSION_MAX_AGE = SESSION_MAX_AGE_SECONDS;

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
            return { id: user.id, email: user.email, name: user.name, sid: user.sessionId };
          } catch (e) {
            // next-auth passes the message to the client as `error`: only our stable codes go out.
            throw new Error(toAppError(e).code); // database_unavailable when PostgreSQL is down
          }
        },
      }),
    ],
    callbacks: {
      // The cookie names the user and the server-side session, nothing else: role, organisation and
      // whether the session is still live are looked up on every request (lib/auth/resolve.ts).
      async jwt({ token, user }) {
        if (user) return { sub: user.id, sid: user.sid };
        return { sub: token.sub, sid: token.sid };
      },
    },
  };
  return cached;
}

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/**
 * The /api/auth/* route. Sign-out (POST /api/auth/signout, after next-auth's CSRF check) ends the
 * server-side session, whichever client calls it. next-auth swallows errors thrown by events and
 * clears the cookie anyway; if the session could not be ended (database down), this answers with
 * the error instead, and the browser keeps its cookie rather than believing it signed out.
 */
export async function handleNextAuth(req: Request, ctx: RouteContext): Promise<Response> {
  const request = factsFromHeaders(req.headers);
  let failure: unknown = null;
  const options: NextAuthOptions = {
    ...authOptions(),
    events: {
      async signOut({ token }) {
        try {
          await signOutSession(token?.sid, token?.sub, request);
        } catch (e) {
          failure = e;
          throw e;
        }
      },
    },
  };
  const res = (await NextAuth(req as never, ctx as never, options)) as Response;
  return failure ? errorResponse(failure) : res;
}
