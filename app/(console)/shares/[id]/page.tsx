import type { Metadata } from 'next';
import Link from 'next/link';
import { cache } from 'react';
import { can, type Principal } from '@/lib/auth/principal';
import { listAuditEvents } from '@/lib/audit/query';
import { currentOrganization } from '@/lib/orgs/current-org';
import { getShare } from '@/lib/shares/service';
import { listInvitations } from '@/lib/guest/invitations';
import { isId } from '@/lib/http/ids';
import { listTerms } from '@/lib/terms/service';
import { listProposals } from '@/lib/collab/proposals';
import { shareNotesView } from '@/lib/collab/notes-history';
import { ProposalsTable } from '@/components/collab/proposals-table';
import { ShareNotes } from '@/components/collab/share-notes';
import { AccessLog } from '@/components/shares/access-log';
import { Condition } from '@/components/shares/condition-list';
import { EditShareButton } from '@/components/shares/edit-share-button';
import { ExtendShareButton } from '@/components/shares/extend-share-button';
import { InvitationsPanel } from '@/components/shares/invitations-panel';
import { fromNow, plural } from '@/components/shares/format';
import { audienceLabel, DEVICE_RULE_HINT, deviceLabel, permissionLabel } from '@/components/shares/labels';
import { RevokeShareButton } from '@/components/shares/revoke-share-button';
import { SessionsTable } from '@/components/shares/sessions-table';
import { ShareStatusBadge } from '@/components/shares/status-badge';
import { ApprovalBadge } from '@/components/governance/approval-badge';
import { Badge } from '@/components/ui/badge';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { criminalIntelDocs } from '@/lib/cfr/sharing';
import { EvidenceBundleLink } from '@/components/feed/evidence-bundle-link';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { pathSegment, requirePageIds } from '../../_shared/ids';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { inviteGuestsAction, resendInvitationAction, revokeInvitationAction } from './actions';
import { listQuestionsForStaff, listThreadsForStaff } from '@/lib/collab/staff';
import { QuestionList } from '@/components/discussions/question-list';
import { ThreadList } from '@/components/discussions/thread-list';
import { answerQuestionAction, commentAction, setResolvedAction } from '../../_shared/discussion-actions';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const LOG_PAGE = 50;
const shareFor = cache((p: Principal, id: string) => getShare(p, id));
const shareTitle = (titles: string[]) => (titles.length ? `${titles[0]}${titles.length > 1 ? ` and ${titles.length - 1} more` : ''}` : 'Share');

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  // The page itself audits a malformed id and answers 404; nothing is looked up with it here.
  if (!isId(id)) return { title: 'Not found' };
  try {
    const s = await shareFor(await consolePrincipal(), id);
    return { title: `Share: ${shareTitle(s.documents.map((d) => d.document.title))}` };
  } catch {
    return { title: 'Share' };
  }
}

function Panel({ title, actions, children, id, className = '' }: { title: string; actions?: React.ReactNode; children: React.ReactNode; id: string; className?: string }) {
  return (
    <section aria-labelledby={id} className={`${card} min-w-0 ${className}`}>
      <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-5 py-4">
        <h2 id={id} className="text-sm font-semibold text-slate-900">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

function List({ items, empty }: { items: string[]; empty: string }) {
  if (!items.length) return <span className="text-slate-500">{empty}</span>;
  return <ul role="list" className="space-y-0.5">{items.map((x) => <li key={x} className="font-mono text-xs break-all">{x}</li>)}</ul>;
}

export default async function SharePage({ params, searchParams }: Props) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const p = await consolePrincipal();
  await requirePageIds(p, 'page /shares/[id]', { shareId: pathSegment(id) });
  if (!can(p, 'shares:read')) return <Forbidden what="Seeing shares is not part of your role." scope="shares:read" />;
  const logAfter = typeof sp.log === 'string' ? sp.log.slice(0, 64) : undefined;
  const canWrite = can(p, 'shares:write');
  const noteId = typeof sp.note === 'string' && isId(sp.note) ? sp.note : undefined;
  const noteAt = typeof sp.at === 'string' && /^[1-9][0-9]{0,8}$/.test(sp.at) ? Number(sp.at) : undefined;
  const res = await load(async () => {
    const [share, log, org, terms, threads, questions, proposals, notes] = await Promise.all([
      shareFor(p, id),
      listAuditEvents(p, { shareId: id, first: LOG_PAGE, after: logAfter }),
      currentOrganization(p),
      canWrite ? listTerms(p) : null,
      listThreadsForStaff(p, { shareId: id }),
      listQuestionsForStaff(p, { shareId: id }),
      can(p, 'documents:read') ? listProposals(p, { shareId: id }) : null,
      shareNotesView(p, id, { noteId, at: noteAt }),
    ]);
    // Invitations exist only for INVITED shares (a share moved away from INVITED keeps its history).
    const invitations = share.audience === 'INVITED' ? await listInvitations(p, id) : null;
    return { share: share, log, org, terms, invitations, threads, questions, proposals, notes };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { share: s, log, org, terms, invitations, threads, questions, proposals, notes } = res.data;
  const discussionActions = { comment: commentAction, setResolved: setResolvedAction, answer: answerQuestionAction };

  const now = Date.now();
  const titles = s.documents.map((d) => d.document.title);
  const documentTitles = new Map(s.documents.map((d) => [d.document.id, d.document.title]));
  const revoked = s.status === 'REVOKED';
  const expired = s.status === 'EXPIRED';
  const sessions = s.sessions.map((x) => ({
    ...x,
    // A session is live only while nothing it was issued under has moved on.
    live: !revoked && !expired && !x.revokedAt && x.expiresAt.getTime() > now && x.shareEpoch === s.revocationEpoch && x.passwordEpoch === s.passwordEpoch,
  }));
  const liveSessions = sessions.filter((x) => x.live).length;
  // Every version of every set of terms, so a share can stay on (or move to) an older accepted text.
  const termsOptions = (terms ?? []).flatMap((t) => t.versions.map((v, i) => ({ id: v.id, label: `${v.title} (version ${v.version}${i === 0 ? ', latest' : ''})` })));
  const owner = s.createdBy ? s.createdBy.name || s.createdBy.email : 'an API key';
  const cji = await criminalIntelDocs(p.orgId, s.documents.map((d) => d.document.id));

  return (
    <>
      <PageHeader
        eyebrow={<nav aria-label="Breadcrumb"><Link href="/shares" className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />Shares</Link></nav>}
        title={<span className="flex flex-wrap items-center gap-3"><span data-testid="share-title">{shareTitle(titles)}</span><span data-testid="share-status">{s.approvalState === 'PENDING' && s.status === 'ACTIVE' ? null : <ShareStatusBadge status={s.status} />}</span><ApprovalBadge state={s.approvalState} href={s.approvalState === 'PENDING' && (can(p, 'admin') || can(p, 'audit:read')) ? '/approvals' : undefined} /></span>}
        description={<>Created {formatDateTime(s.createdAt)} by {owner} · {revoked ? `revoked ${formatDateTime(s.revokedAt)}` : `${expired ? 'expired' : 'expires'} ${formatDateTime(s.expiresAt)} (${fromNow(s.expiresAt, now)})`}</>}
        actions={canWrite && !revoked ? <>
          {can(p, 'audit:read') ? <EvidenceBundleLink kind="share" id={s.id} /> : null}
          <EditShareButton shareId={s.id} terms={termsOptions} current={{
            permission: s.permission, allowDownload: s.allowDownload, allowPrint: s.allowPrint, watermark: s.watermark, hasPassword: Boolean(s.passwordHash),
            termsVersionId: s.termsVersionId, allowedIpRanges: s.allowedIpRanges, allowedCountries: s.allowedCountries, allowedDevices: s.allowedDevices, requireDevice: s.requireDevice,
            recipients: s.recipients.map((r) => r.email), message: s.message, audience: s.audience, allowedDomains: s.allowedDomains,
            showGuestPresence: s.showGuestPresence, keepPartiesApart: s.keepPartiesApart,
            needToKnow: s.needToKnow, criminalIntel: cji.some((d) => !d.purged),
          }} />
          <ExtendShareButton shareId={s.id} expiresAt={s.expiresAt.toISOString()} maxDays={org.maxShareDays} expired={expired} />
          <RevokeShareButton shareId={s.id} sessions={liveSessions} />
        </> : can(p, 'audit:read') ? <EvidenceBundleLink kind="share" id={s.id} /> : null}
      />

      {cji.length ? (
        <section aria-labelledby="share-cji-title" className="mb-6 overflow-hidden rounded-lg bg-rose-50 ring-1 ring-rose-300" data-testid="share-cji">
          <h2 id="share-cji-title" className="flex items-center gap-2 bg-rose-700 px-5 py-3 text-sm font-semibold tracking-wide text-white uppercase">
            <Icon name="shieldAlert" className="size-5" />Criminal intelligence · 28 CFR Part 23
          </h2>
          <div className="space-y-2 px-5 py-4 text-sm text-rose-950">
            <p>
              {cji.map((d, i) => <span key={d.id}>{i ? ', ' : ''}<Link href={`/documents/${encodeURIComponent(d.id)}`} className="font-medium underline decoration-rose-400 underline-offset-2">{d.title}</Link>{d.purged ? ' (purged)' : ''}</span>)}
              {' '}{cji.length === 1 ? 'is' : 'are'} released only to guests of law-enforcement partners; every view and download is logged.
            </p>
            <p><span className="font-medium">Need to know:</span> {s.needToKnow ? <span className="whitespace-pre-wrap">{s.needToKnow}</span> : <span className="italic">none stated — guests are refused until one is</span>}</p>
          </div>
        </section>
      ) : null}

      {revoked ? (
        <Notice tone="error" title={`Revoked ${formatDateTime(s.revokedAt)}`} className="mb-6">
          The link no longer opens and every guest session was ended at that moment.{s.revokedReason ? <> Reason: <span className="whitespace-pre-wrap">{s.revokedReason}</span></> : ' No reason was given.'}
        </Notice>
      ) : expired ? (
        <Notice tone="warning" title={`Expired ${fromNow(s.expiresAt, now)}`} className="mb-6">
          Guests can no longer open it.{canWrite ? ' Use Reopen to give it a new expiry, or leave it expired.' : ''}
        </Notice>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <Panel id="conditions-title" title="Conditions" className="lg:col-span-2">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-4 px-5 py-4 sm:grid-cols-3" data-testid="share-conditions">
            <Condition label="Permission">{permissionLabel(s.permission)}</Condition>
            <Condition label="Download" on={s.allowDownload}>{s.allowDownload ? 'Allowed' : 'Not allowed'}</Condition>
            <Condition label="Printing" on={s.allowPrint}>{s.allowPrint ? 'Allowed' : 'Not allowed'}</Condition>
            <Condition label="Watermark" good={s.watermark} on={s.watermark}>{s.watermark ? 'On' : 'Off'}</Condition>
            <Condition label="Password" good={Boolean(s.passwordHash)} on={Boolean(s.passwordHash)}>{s.passwordHash ? 'Required' : 'None'}</Condition>
            <Condition label="Terms">{s.termsVersion ? <Link href="/terms" className="text-indigo-600 hover:text-indigo-500">{s.termsVersion.title} (v{s.termsVersion.version})</Link> : 'None'}</Condition>
          </dl>
          <dl className="divide-y divide-slate-100 border-t border-slate-100 px-5">
            <Row label="Audience"><span data-testid="share-audience">{audienceLabel(s.audience)}</span></Row>
            {s.audience === 'VERIFIED_EMAIL' ? <Row label="Allowed domains"><List items={s.allowedDomains} empty="Recipients only" /></Row> : null}
            <Row label="IP ranges"><List items={s.allowedIpRanges} empty="Any network" /></Row>
            <Row label="Countries">{s.allowedCountries.length ? <span className="font-mono text-xs">{s.allowedCountries.join(', ')}</span> : <span className="text-slate-500">Any country</span>}</Row>
            <Row label={<>Device type <span className="block text-xs">(advisory)</span></>}>
              {s.allowedDevices.length ? (
                <span data-testid="share-devices">
                  <span className="flex flex-wrap items-center gap-2">{s.allowedDevices.map(deviceLabel).join(', ')}<Badge tone="amber">Advisory</Badge></span>
                  <span className="mt-1 block text-xs leading-relaxed text-slate-500">{DEVICE_RULE_HINT}</span>
                </span>
              ) : <span className="text-slate-500">Any device</span>}
            </Row>
            <Row label="Device key">
              {s.requireDevice ? (
                <span data-testid="share-require-device">
                  <span className="flex flex-wrap items-center gap-2">Approved device required<Badge tone="indigo">Device-bound</Badge></span>
                  <span className="mt-1 block text-xs leading-relaxed text-slate-500">Each guest&rsquo;s first browser is approved automatically; others wait for approval under <Link href="/guests/devices" className="text-indigo-600 hover:text-indigo-500">Guests &rsaquo; Devices</Link>.</span>
                </span>
              ) : <span className="text-slate-500">Not required</span>}
            </Row>
            <Row label="Recipients">{s.recipients.length ? <ul role="list">{s.recipients.map((r) => <li key={r.email} className="[overflow-wrap:anywhere]">{r.email}</li>)}</ul> : <span className="text-slate-500">{s.audience === 'ANYONE_WITH_LINK' ? 'Anyone with the link' : 'None'}</span>}</Row>
            <Row label="Real time">
              <span data-testid="share-collaboration" className="flex flex-wrap items-center gap-2">
                {s.keepPartiesApart ? <Badge tone="red">Parties kept apart</Badge> : <Badge tone="blue">Guests see each other&rsquo;s comments</Badge>}
                {s.keepPartiesApart ? null : s.showGuestPresence ? <Badge tone="blue">Guests see each other&rsquo;s presence</Badge> : <Badge tone="slate">Guests see staff presence only</Badge>}
              </span>
            </Row>
            <Row label="Message">{s.message ? <p className="whitespace-pre-wrap [overflow-wrap:anywhere]" data-testid="share-message">{s.message}</p> : <span className="text-slate-500">None</span>}</Row>
          </dl>
        </Panel>

        <div className="min-w-0 space-y-6">
          <Panel id="documents-title" title={`Documents (${s.documents.length})`}>
            {s.documents.length ? (
              <ul role="list" className="divide-y divide-slate-100">
                {s.documents.map((d) => (
                  <li key={d.document.id} className="flex items-center gap-3 px-5 py-3">
                    <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-slate-100 text-slate-500"><Icon name="file" className="size-4" /></span>
                    <Link href={`/documents/${d.document.id}`} className="min-w-0 truncate text-sm font-medium text-slate-900 hover:text-indigo-600">{d.document.title}</Link>
                  </li>
                ))}
              </ul>
            ) : <p className="px-5 py-4 text-sm text-slate-500">The documents of this share have been deleted.</p>}
          </Panel>

          <Panel id="timeline-title" title="Activity">
            <dl className="divide-y divide-slate-100 px-5">
              <Row label="Created"><span className="tabular">{formatDateTime(s.createdAt)}</span></Row>
              <Row label={revoked ? 'Was to expire' : expired ? 'Expired' : 'Expires'}><span className="tabular">{formatDateTime(s.expiresAt)}</span></Row>
              {revoked ? <Row label="Revoked"><span className="tabular">{formatDateTime(s.revokedAt)}</span></Row> : null}
              <Row label="Last access">{s.lastAccessAt ? <span title={formatDateTime(s.lastAccessAt)}>{relativeTime(s.lastAccessAt, now)}</span> : <span className="text-slate-500">Never</span>}</Row>
              <Row label="Accesses"><span className="tabular">{s.accessCount.toLocaleString('en-US')}</span></Row>
              <Row label="Link"><span className="text-slate-500">Shown once, at creation. Only its hash is stored.</span></Row>
            </dl>
          </Panel>
        </div>

        {invitations ? (
          <Panel id="invitations-title" title="Invitations" className="lg:col-span-3" actions={<span className="text-xs text-slate-500">Newest first · times in UTC</span>}>
            <InvitationsPanel shareId={s.id} canWrite={canWrite && !revoked}
              invitations={invitations.map((i) => ({
                id: i.id, email: i.email, state: i.state, sentCount: i.sentCount, lastSentAt: i.lastSentAt.toISOString(), expiresAt: i.expiresAt.toISOString(),
                acceptedAt: i.acceptedAt?.toISOString() ?? null, revokedAt: i.revokedAt?.toISOString() ?? null, createdAt: i.createdAt.toISOString(),
              }))}
              actions={{ invite: inviteGuestsAction, resend: resendInvitationAction, revoke: revokeInvitationAction }} />
          </Panel>
        ) : null}

        <Panel id="comments-title" title="Comments and annotations" className="lg:col-span-2" actions={<span className="text-xs text-slate-500">In this share&rsquo;s threads · times in UTC</span>}>
          <div id="comments" />
          <ThreadList comments={threads} canWrite={canWrite && !revoked} actions={discussionActions} showDocument={documentTitles} />
        </Panel>

        <Panel id="questions-title" title="Questions" actions={<span className="text-xs text-slate-500">Newest first</span>}>
          <div id="questions" />
          <QuestionList questions={questions} canWrite={canWrite} actions={discussionActions} showDocument />
        </Panel>

        {proposals ? (
          <Panel id="proposals-title" title="Proposed versions" className="lg:col-span-3" actions={<span className="text-xs text-slate-500">Decide on each document&rsquo;s page</span>}>
            <ProposalsTable proposals={proposals} showDocument
              emptyHint={s.permission === 'EDIT' ? 'Guests of this share may upload a new version of its documents; each waits for a decision on the document’s page.' : 'Only guests with edit permission can propose new versions.'} />
          </Panel>
        ) : null}

        <Panel id="notes-title" title="Working notes" className="lg:col-span-3" actions={<span className="text-xs text-slate-500">Every change kept with its author · times in UTC</span>}>
          <ShareNotes shareId={s.id} data={notes} />
        </Panel>

        <Panel id="log-title" title="Access log" className="lg:col-span-3" actions={<span className="text-xs text-slate-500">Newest first · times in UTC</span>}>
          <AccessLog events={log.nodes} documentTitles={documentTitles} />
          {log.hasNextPage || logAfter ? (
            <Pager summary={<>{plural(log.nodes.length, 'event')}{logAfter ? ' (older page)' : ''}</>}
              prevHref={logAfter ? `/shares/${s.id}` : null} prevLabel="Newest"
              nextHref={log.hasNextPage && log.endCursor ? `/shares/${s.id}?log=${encodeURIComponent(log.endCursor)}` : null} nextLabel="Older" />
          ) : null}
        </Panel>

        <Panel id="sessions-title" title="Guest sessions" className="lg:col-span-3" actions={<span className="flex items-center gap-3 text-xs text-slate-500">{liveSessions ? `${plural(liveSessions, 'session')} open` : 'None open'}<Link href={`/guests?share=${s.id}`} className="font-medium text-indigo-600 hover:text-indigo-500">Manage guests</Link></span>}>
          <SessionsTable sessions={sessions} />
        </Panel>
      </div>
    </>
  );
}

function Row({ label, children }: { label: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7rem_minmax(0,1fr)] gap-3 py-2.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </div>
  );
}
