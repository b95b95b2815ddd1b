import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface Received {
  raw: string;
  parsed: ParsedMail;
  envelope: { from: string; to: string[] };
  user: string | undefined;
}

export interface SmtpOptions {
  /** Answer every DATA with this error (code, message), e.g. [550, 'mailbox unavailable']. */
  reject?: () => [number, string] | null;
  /** Called when a message starts arriving; await it to hold the transaction open. */
  onData?: (session: SMTPServerSession) => Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that requires authentication and keeps every message
 * it accepts, raw and parsed (mailparser): what the outside world would receive from Liaison.
 */
export async function startSmtp(opts: SmtpOptions & { port?: number } = {}) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'liaison' && auth.password === 'smtp-secret') return cb(null, { user: auth.username });
      cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        try {
          await opts.onData?.(session);
          const rejection = opts.reject?.();
          if (rejection) return cb(Object.assign(new Error(rejection[1]), { responseCode: rejection[0] }));
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({
            raw, parsed: await simpleParser(raw), user: session.user as string | undefined,
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
          });
          waiters.splice(0).forEach((w) => w());
          cb();
        } catch (e) {
          cb(e as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://liaison:smtp-secret@127.0.0.1:${port}`,
    received,
    /** Resolves when `n` messages have arrived (or rejects after `ms`). */
    async waitFor(n: number, ms = 10_000) {
      const until = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} messages, got ${received.length}`);
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 100); });
      }
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
