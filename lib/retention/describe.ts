import type { RetentionRun } from './run';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A run as plain lines (the CLI prints them): one per object, so a dry run is a reviewable list. */
export function describeRun(slug: string, run: RetentionRun): string[] {
  const { plan } = run;
  const mode = run.dryRun ? 'dry run: would' : 'run:';
  const out: string[] = [];
  if (!plan.policy.enabled) out.push(`${slug}: the retention policy is turned off${run.dryRun ? ' (listing what it would do if it were on)' : '; nothing was done'}`);
  for (const d of plan.documents) out.push(`${slug}: ${mode} purge document ${d.id} "${d.title}" (${d.tlp}, last upload ${day(d.lastUploadAt)}, ${d.versions} version${d.versions === 1 ? '' : 's'}, after ${d.days} days)`);
  for (const d of plan.heldDocuments) out.push(`${slug}: hold document ${d.id} "${d.title}" (${d.tlp}, past its period but ${d.reason === 'in_active_share' ? 'in an active share' : 'listed in a portal'})`);
  for (const s of plan.shares) out.push(`${slug}: ${mode} purge share ${s.id} "${s.title}" (${s.state.toLowerCase()} ${day(s.endedAt)}, ${s.tlp ?? 'no documents'}, after ${s.days} days)`);
  for (const g of plan.guests) out.push(`${slug}: ${mode} anonymise guest ${g.id} ${g.label} (last active ${day(g.lastActivityAt)}, after ${g.days} days)`);
  if (plan.sessions.length) out.push(`${slug}: ${mode} anonymise ${plan.sessions.length} guest session${plan.sessions.length === 1 ? '' : 's'} (last seen before ${day(new Date(plan.at.getTime() - plan.policy.sessionDays! * 86_400_000))})`);
  if (plan.truncated) out.push(`${slug}: more is due than one run handles; the next run continues`);
  const r = run.result;
  if (r) out.push(`${slug}: done: ${r.documents} documents and ${r.shares} shares purged, ${r.guests} guests and ${r.sessions} sessions anonymised${r.skipped ? `, ${r.skipped} no longer due` : ''}`);
  else if (run.dryRun) out.push(`${slug}: dry run: ${plan.documents.length} documents, ${plan.shares.length} shares, ${plan.guests.length} guests, ${plan.sessions.length} sessions; nothing was changed`);
  return out;
}
