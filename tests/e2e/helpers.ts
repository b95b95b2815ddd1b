import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_USERS } from './env';

const SHOTS = path.join(process.cwd(), 'test-results', 'screenshots');

/** A full-page screenshot under test-results/screenshots, for looking at what the pages show. */
export async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs a seeded staff member in through the real form and waits for the console to show them. */
export async function signIn(page: Page, who: keyof typeof E2E_USERS, landing = '/') {
  await page.goto(landing === '/' ? '/signin' : `/signin?callbackUrl=${encodeURIComponent(landing)}`);
  await page.getByLabel('Email address').fill(E2E_USERS[who].email);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === landing);
  await expect(page.getByTestId('current-user')).toHaveText(E2E_USERS[who].name);
}
