/*
 * Makes a fresh clone runnable: generates the Prisma client and builds Next when the sources are newer
 * than the last build. npm 11 skips install scripts, so this runs from `npm start` and `npm test`.
 *   --no-build      only generate the client (dev mode compiles on demand)
 *   --force-build   rebuild even if up to date
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function fingerprint(paths: string[]): string {
  const h = crypto.createHash('sha256');
  const walk = (p: string) => {
    const full = path.join(root, p);
    if (!fs.existsSync(full)) return;
    const st = fs.statSync(full);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(full).sort()) if (!['node_modules', '.next', 'generated'].includes(e)) walk(path.join(p, e));
    } else {
      h.update(p).update(fs.readFileSync(full));
    }
  };
  paths.forEach(walk);
  return h.digest('hex');
}

function step(label: string, stamp: string, inputs: string[], run: () => void) {
  const stampFile = path.join(root, stamp);
  const fp = fingerprint(inputs);
  if (!args.has('--force-build') && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === fp) return;
  process.stdout.write(`liaison: ${label}…\n`);
  run();
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, fp);
}

// `prisma generate` needs no engine, but the CLI tries to download one unless this points at a file.
const placeholder = path.join(root, 'node_modules', '.cache', 'liaison-no-engine');
fs.mkdirSync(path.dirname(placeholder), { recursive: true });
fs.writeFileSync(placeholder, '');
step('generating Prisma client', 'lib/generated/.stamp', ['prisma/schema.prisma', 'package-lock.json'], () => {
  execFileSync(bin('prisma'), ['generate'], { cwd: root, stdio: 'inherit', env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: placeholder, PRISMA_HIDE_UPDATE_MESSAGE: '1' } });
});

if (!args.has('--no-build')) {
  step('building the web app (first start takes a minute or two)', '.next/.liaison-stamp',
    ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.js', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json', 'prisma/schema.prisma'],
    () => execFileSync(bin('next'), ['build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } }));
}
