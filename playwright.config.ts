import { defineConfig } from '@playwright/test';
import { e2ePort } from './tests/e2e/env';

// One server per worker (tests/e2e/env.ts): in the runner this is the first server's port, in a worker
// its own server's.
const port = e2ePort();
const baseURL = `http://localhost:${port}`;
const workers = Number(process.env.E2E_WORKERS ?? 2);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  // Two workers share the machine's cores with two servers: room for a slow moment, not for a hang.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // Spec files are shared out between the workers; the tests of one file run in order in one worker.
  fullyParallel: false,
  workers,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Playwright cannot download its own browser on our machines; the Debian package is used.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  // Real servers (server.ts), one per worker, each on a fresh data directory and database of its own;
  // the app must already be built.
  webServer: Array.from({ length: workers }, (_, i) => ({
    command: 'npx tsx tests/e2e/start-server.ts',
    url: `http://localhost:${port + i}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: { E2E_PORT: String(port + i), E2E_SERVER_INDEX: String(i) },
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
  })),
});
