import pino from 'pino';

const g = globalThis as unknown as { __liaisonLog?: pino.Logger };

export const log: pino.Logger =
  g.__liaisonLog ??
  (g.__liaisonLog = pino({
    level: process.env.LIAISON_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    redact: ['password', '*.password', 'authorization', '*.authorization', 'token', '*.token'],
  }));
