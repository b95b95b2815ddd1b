import { config } from './lib/config';
import { log } from './lib/log';
import { describeStorage } from './lib/storage/s3-settings';
import { startServer } from './lib/server/start';

async function main() {
  const cfg = config();
  const s = await startServer();
  const boot = s.boot;
  const signIn = `  Sign in at ${cfg.publicUrl}/signin as ${boot.email}`;
  process.stdout.write([
    '',
    `  Liaison is running at ${cfg.publicUrl}${cfg.LIAISON_PUBLIC_URL ? '' : ` (port ${s.port})`}`,
    `  Database: ${s.embedded ? `embedded PostgreSQL in ${cfg.dataDir}/pg` : 'PostgreSQL from DATABASE_URL'}`,
    `  Files: ${describeStorage(cfg.storage, cfg.dataDir)}`,
    boot.created && boot.password
      ? `${signIn} with password ${boot.password}\n  (also saved in ${boot.passwordFile}; change it after signing in)`
      : boot.created ? `${signIn} with LIAISON_ADMIN_PASSWORD` : signIn,
    '',
  ].join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await s.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  log.fatal({ err: e }, 'Liaison failed to start');
  process.exit(1);
});
