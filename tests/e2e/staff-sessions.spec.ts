import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_PORT, E2E_USERS } from './env';
import { shot, signIn } from './helpers';

const ORIGIN = `http://localhost:${E2E_PORT}`;

/** GraphQL through the console cookie of a browser context, as the console's own pages would call it. */
async function gql(request: APIRequestContext, query: string, variables?: Record<string, unknown>) {
  const res = await request.post('/api/graphql', { headers: { origin: ORIGIN, 'content-type': 'application/json' }, data: { query, variables } });
  return { status: res.status(), body: await res.json() as { data?: any; errors?: Array<{ extensions?: { code?: string } }> } };
}

/**
 * Calls a server action the way Next's client does (POST to the page with a Next-Action header), with
 * whatever cookie the context holds. The action's id comes from the build's manifest.
 */
async function callAction(request: APIRequestContext, pagePath: string, exportedName: string, args: unknown[]) {
  const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), '.next/server/server-reference-manifest.json'), 'utf8')) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName)?.[0];
  if (!id) throw new Error(`no server action ${exportedName} in the build`);
  const res = await request.post(pagePath, {
    headers: { 'next-action': id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', origin: ORIGIN },
    data: JSON.stringify(args),
  });
  return { status: res.status(), text: await res.text() };
}

async function signInAs(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The same page at deviceScaleFactor 2, signed in with the same cookies, for a high-DPI screenshot. */
async function hiDpiShot(browser: Browser, from: BrowserContext, url: string, name: string, ready: (p: Page) => Promise<void>) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2, storageState: await from.storageState() });
  const p = await ctx.newPage();
  await p.goto(url);
  await ready(p);
  await shot(p, name);
  await ctx.close();
}

test('signing out ends the session: the saved cookie is refused on a page, the API, GraphQL and a server action', async ({ page, browser }) => {
  await signIn(page, 'member', '/settings/account');
  const me = await gql(page.request, '{ me { id } mySessions { id current } }');
  const userId = me.body.data.me.id as string;
  const sessionId = (me.body.data.mySessions as Array<{ id: string; current: boolean }>).find((s) => s.current)!.id;
  // While signed in, the server action answers for real.
  const live = await callAction(page.request, '/settings/account', 'endUserSessionsAction', [{ userId }]);
  expect(live.text).toContain('"endedCount"');
  const saved = await page.context().cookies();
  expect(saved.some((c) => c.name === 'next-auth.session-token')).toBe(true);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/signin');

  // The cookie as it was before signing out, in a fresh browser.
  const stale = await browser.newContext();
  await stale.addCookies(saved);
  const p2 = await stale.newPage();
  await p2.goto('/documents');
  await expect(p2).toHaveURL(/\/signin(\?|$)/);
  await expect(p2.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();
  const api = await stale.request.get('/api/v1/documents/abc123/content');
  expect(api.status()).toBe(401);
  expect((await api.json()).error).toBe('unauthenticated');
  const graphql = await gql(stale.request, '{ me { id } }');
  expect(graphql.status).toBe(401);
  expect(graphql.body.errors?.[0].extensions?.code).toBe('invalid_token');
  const action = await callAction(stale.request, '/settings/account', 'endUserSessionsAction', [{ userId }]);
  expect(action.text).toContain('"unauthenticated"');
  expect(action.text).not.toContain('"endedCount"');
  await stale.close();

  // The row was ended through next-auth's sign-out route, and the trail says so.
  const admin = await browser.newContext();
  const ap = await admin.newPage();
  await signIn(ap, 'admin');
  const check = await gql(ap.request, 'query($u: ID!) { staffSessions(userId: $u) { nodes { id } } auditEvents(type: "staff.signout", first: 20) { nodes { actorId reason details } } }', { u: userId });
  expect(check.body.data.staffSessions.nodes.map((n: { id: string }) => n.id)).not.toContain(sessionId);
  const signout = (check.body.data.auditEvents.nodes as Array<{ actorId: string; reason: string; details: { sessionId: string } }>).find((e) => e.details.sessionId === sessionId);
  expect(signout).toMatchObject({ actorId: userId, reason: 'signed_out' });
  await admin.close();
});

test('an admin ends another person\'s session: their open form is refused and their next click goes to sign-in', async ({ page, browser }) => {
  const member = await browser.newContext();
  const mp = await member.newPage();
  await signIn(mp, 'auditor', '/settings/account');
  await expect(mp.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(mp.getByTestId('own-sessions-table').getByText('This session', { exact: true })).toBeVisible();
  await shot(mp, 'staff-account-1440');
  // Not an administrator: the staff and session pages are closed, and not in the menu.
  await expect(mp.getByRole('link', { name: 'Staff' })).toHaveCount(0);
  await mp.goto('/settings/staff');
  await expect(mp.getByText('Staff accounts are managed by administrators.')).toBeVisible();
  await mp.goto('/settings/sessions');
  await expect(mp.getByText('Staff sessions are managed by administrators.', { exact: false })).toBeVisible();
  await mp.goto('/settings/account');

  await signIn(page, 'admin', '/settings/sessions');
  const group = page.getByTestId(`sessions-of-${E2E_USERS.auditor.email}`);
  await expect(group).toBeVisible();
  await expect(page.getByTestId(`sessions-of-${E2E_USERS.admin.email}`).getByText('This session', { exact: true })).toBeVisible();
  await shot(page, 'staff-sessions-1440');
  await hiDpiShot(browser, page.context(), '/settings/sessions', 'staff-sessions-2x', async (p) => { await expect(p.getByTestId('sessions-table')).toBeVisible(); });

  // Earlier tests may have left other auditor sessions open: end exactly the one this browser uses.
  const theirs = ((await gql(mp.request, '{ mySessions { id current } }')).body.data.mySessions as Array<{ id: string; current: boolean }>).find((s) => s.current)!.id;
  const row = group.getByTestId(`session-${theirs}`);
  await row.getByRole('button', { name: /^End session/ }).click();
  const dialog = page.getByRole('dialog', { name: 'End this session?' });
  await expect(dialog).toContainText(E2E_USERS.auditor.name);
  await dialog.getByRole('button', { name: 'End session' }).click();
  await expect(page.getByTestId(`session-${theirs}`)).toHaveCount(0);

  // The auditor's page is still on screen; its next server action and its next navigation are refused.
  await mp.getByLabel('Current password').fill(E2E_PASSWORD);
  await mp.getByLabel('New password (at least 12 characters)').fill('Another-Long-Passphrase-1');
  await mp.getByLabel('Repeat the new password').fill('Another-Long-Passphrase-1');
  await mp.getByRole('button', { name: 'Change password' }).click();
  await expect(mp.getByText('Your session has ended. Sign in again.')).toBeVisible();
  await mp.getByRole('link', { name: 'Documents' }).first().click();
  await mp.waitForURL((u) => u.pathname === '/signin');
  await member.close();
});

test('an admin adds a colleague with a one-time password; a role change and disabling sign them out at once', async ({ page, browser }) => {
  const email = `new.colleague.${Date.now()}@e2e.liaison.test`;
  await signIn(page, 'admin', '/settings/staff');
  await expect(page.getByTestId('staff-table')).toBeVisible();
  await page.getByTestId('add-staff').click();
  const create = page.getByRole('dialog', { name: 'Add a staff member' });
  await create.getByLabel('Full name').fill('Nadia Okafor');
  await create.getByLabel('Work email').fill(email);
  await create.getByText('Auditor', { exact: true }).click();
  await create.getByLabel('Work email').focus();
  await create.getByRole('button', { name: 'Create account' }).click();
  const created = page.getByRole('dialog', { name: 'Account created' });
  const otp = (await created.getByTestId('one-time-password-value').textContent())!.trim();
  expect(otp).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  await shot(page, 'staff-created-1440');
  await created.getByRole('button', { name: 'I have copied the password' }).click();
  const row = page.getByTestId(`staff-row-${email}`);
  await expect(row).toContainText('Auditor');
  await expect(row).toContainText('One-time password');

  // First sign-in: nothing opens until the one-time password is replaced.
  const colleague = await browser.newContext();
  const cp = await colleague.newPage();
  await signInAs(cp, email, otp);
  await expect(cp.getByRole('heading', { name: 'Choose your own password' })).toBeVisible();
  await expect(cp.getByRole('link', { name: 'Documents' })).toHaveCount(0);
  await shot(cp, 'staff-first-password-1440');
  const blocked = await gql(cp.request, '{ documents { nodes { id } } }');
  expect(blocked.status).toBe(403);
  await cp.getByLabel('One-time password').fill(otp);
  await cp.getByLabel('New password (at least 12 characters)').fill('Nadia-Own-Passphrase-2026');
  await cp.getByLabel('Repeat the new password').fill('Nadia-Own-Passphrase-2026');
  await cp.getByRole('button', { name: 'Change password' }).click();
  await expect(cp.getByRole('link', { name: 'Documents' }).first()).toBeVisible();
  await expect(cp.getByRole('heading', { name: 'Choose your own password' })).toHaveCount(0);

  // A role change signs them out at once.
  await page.reload();
  await expect(row).toContainText('1 active');
  await expect(row).toContainText('Active');
  await shot(page, 'staff-1440');
  await hiDpiShot(browser, page.context(), '/settings/staff', 'staff-2x', async (p) => { await expect(p.getByTestId('staff-table')).toBeVisible(); });
  await row.getByRole('button', { name: /^Role/ }).click();
  const roleDialog = page.getByRole('dialog', { name: 'Change the role of Nadia Okafor' });
  await roleDialog.getByText('Member', { exact: true }).click();
  await roleDialog.getByRole('button', { name: 'Change role' }).click();
  await expect(row).toContainText('Member');
  await expect(row).toContainText('None');
  await cp.getByRole('link', { name: 'Documents' }).first().click();
  await cp.waitForURL((u) => u.pathname === '/signin');

  // Signed in again (as a member now); disabling ends that session too, and the password stops working.
  await signInAs(cp, email, 'Nadia-Own-Passphrase-2026');
  await expect(cp.getByTestId('current-user')).toHaveText('Nadia Okafor');
  await expect(cp.getByText('Member ·')).toBeVisible();
  await row.getByRole('button', { name: /^Disable/ }).click();
  await page.getByRole('dialog', { name: 'Disable Nadia Okafor?' }).getByRole('button', { name: 'Disable account' }).click();
  await expect(row).toContainText('Disabled');
  await cp.reload();
  await expect(cp).toHaveURL(/\/signin/);
  await signInAs(cp, email, 'Nadia-Own-Passphrase-2026');
  await expect(cp.getByTestId('signin-error')).toContainText('Email or password is incorrect');
  await colleague.close();

  // The last active administrator cannot disable themselves: the control is off. Another spec on this
  // server (approvals) adds a second administrator; it is disabled first so that the admin is the last.
  const second = page.getByTestId('staff-row-second-admin@e2e.liaison.test');
  if (await second.count() && !(await second.getByText('Disabled', { exact: true }).count())) {
    await second.getByRole('button', { name: /^Disable/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable account' }).click();
    await expect(second).toContainText('Disabled');
  }
  const self = page.getByTestId(`staff-row-${E2E_USERS.admin.email}`);
  await expect(self.getByText('Disable', { exact: true })).toHaveAttribute('aria-disabled', 'true');
});
