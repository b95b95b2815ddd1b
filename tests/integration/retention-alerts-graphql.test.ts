import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { createDocument } from '../../lib/documents/service';
import { evaluateOrg } from '../../lib/alerts/evaluate';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { apiContent, apiToken, sharedPdf } from '../helpers/guest';

const BASE = 'http://liaison.test';
type Gql = { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
async function gql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<Gql> {
  const res = await handleGraphql(new Request(`${BASE}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.30', 'user-agent': 'vitest' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: Gql) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: 'governance tests', scopes, actor: null })).key;

const POLICY = 'enabled guestDays sessionDays rules { tlp documentDays shareDays } lastRunAt';
const UPDATE_POLICY = `mutation($input: RetentionPolicyInput!) { updateRetentionPolicy(input: $input) { ${POLICY} } }`;
const RULES = 'downloads { enabled count minutes } newCountry shareRefusals { enabled count minutes } guestIps { enabled count }';
const UPDATE_RULES = `mutation($input: AlertRulesInput!) { updateAlertRules(input: $input) { ${RULES} } }`;

describe('retention and alerts through GraphQL', () => {
  it('retention policy: read with audit:read, changed by admin only, validated; the dry run lists what would go', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    const admin = await keyFor(org.id);
    const auditor = await keyFor(org.id, ['audit:read']);
    const doc = await createDocument(principal, fileFrom(tinyPdf('old'), 'old.pdf', 'application/pdf'), { title: 'Old green', tlp: 'GREEN' }, 1e7);
    await prisma().documentVersion.updateMany({ where: { documentId: doc.id }, data: { createdAt: new Date(Date.now() - 50 * 86_400_000) } });

    const bad = await gql(admin, UPDATE_POLICY, { input: { enabled: true, rules: [{ tlp: 'GREEN', documentDays: 0 }] } });
    expect(code(bad)).toBe('validation_failed');
    expect(code(await gql(auditor, UPDATE_POLICY, { input: { enabled: true } }))).toBe('insufficient_scope');
    const ok = await gql(admin, UPDATE_POLICY, { input: { enabled: true, rules: [{ tlp: 'GREEN', documentDays: 30, shareDays: 7 }], guestDays: 365 } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.updateRetentionPolicy.rules.find((r: { tlp: string }) => r.tlp === 'GREEN')).toEqual({ tlp: 'GREEN', documentDays: 30, shareDays: 7 });

    const read = await gql(auditor, `{ retentionPolicy { ${POLICY} } retentionDryRun { policyEnabled documents { id title tlp heldBecause } shares { id } guests { id } sessionCount truncated } }`);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.retentionPolicy).toMatchObject({ enabled: true, guestDays: 365, sessionDays: null, lastRunAt: null });
    expect(read.body.data.retentionDryRun).toEqual({ policyEnabled: true, documents: [{ id: doc.id, title: 'Old green', tlp: 'GREEN', heldBecause: null }], shares: [], guests: [], sessionCount: 0, truncated: false });
    expect(await prisma().document.count({ where: { id: doc.id } })).toBe(1);
    const noScope = await keyFor(org.id, ['documents:read']);
    expect(code(await gql(noScope, '{ retentionDryRun { sessionCount } }'))).toBe('insufficient_scope');
  });

  it('alert rules, alerts and acknowledging', async () => {
    const s = await sharedPdf({ allowDownload: true, watermark: false });
    const admin = await keyFor(s.org.id);
    const auditor = await keyFor(s.org.id, ['audit:read']);
    const bad = await gql(admin, UPDATE_RULES, { input: { downloads: { enabled: true, count: 0, minutes: 5 }, newCountry: false, shareRefusals: { enabled: false, count: 10, minutes: 15 }, guestIps: { enabled: false, count: 3 } } });
    expect(code(bad)).toBe('validation_failed');
    const set = await gql(admin, UPDATE_RULES, { input: { downloads: { enabled: true, count: 1, minutes: 5 }, newCountry: true, shareRefusals: { enabled: false, count: 10, minutes: 15 }, guestIps: { enabled: false, count: 3 } } });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.updateAlertRules).toEqual({ downloads: { enabled: true, count: 1, minutes: 5 }, newCountry: true, shareRefusals: { enabled: false, count: 10, minutes: 15 }, guestIps: { enabled: false, count: 3 } });

    const token = await apiToken(s.url);
    await apiContent(token, s.doc.id);
    await apiContent(token, s.doc.id);
    expect(await evaluateOrg(s.org.id)).toBe(1);
    const list = await gql(auditor, '{ alertCounts { open acknowledged } alerts(first: 10) { nodes { id rule ruleLabel title acknowledgedAt } pageInfo { hasNextPage } } }');
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data.alertCounts).toEqual({ open: 1, acknowledged: 0 });
    const [alert] = list.body.data.alerts.nodes;
    expect(alert).toMatchObject({ rule: 'downloads', ruleLabel: 'Many downloads by one guest', acknowledgedAt: null });
    const ACK = 'mutation($id: ID!) { acknowledgeAlert(id: $id, note: "seen") { id acknowledgedAt acknowledgedBy } }';
    expect(code(await gql(auditor, ACK, { id: alert.id }))).toBe('insufficient_scope');
    const acked = await gql(admin, ACK, { id: alert.id });
    expect(acked.body.errors).toBeUndefined();
    expect(acked.body.data.acknowledgeAlert.acknowledgedAt).toBeTruthy();
    expect(code(await gql(admin, ACK, { id: alert.id }))).toBe('conflict');
    expect((await gql(auditor, '{ alerts(state: ACKNOWLEDGED) { nodes { id } } }')).body.data.alerts.nodes).toEqual([{ id: alert.id }]);
    // Another organisation's key sees nothing of it.
    const other = await keyFor((await createOrg()).id);
    expect(code(await gql(other, ACK, { id: alert.id }))).toBe('not_found');
  });
});
