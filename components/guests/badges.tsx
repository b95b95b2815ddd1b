import { Badge } from '../ui/badge';
import { formatDateTime } from '../ui/format';
import { kindOf, SESSION_STATES, stateOf } from './labels';

export function GuestKindBadge({ kind }: { kind: string }) {
  const k = kindOf(kind);
  return <Badge tone={k.tone} title={k.hint}>{k.label}</Badge>;
}

export function GuestStateBadge({ state, disabledAt, expiresAt }: { state: string; disabledAt?: Date | null; expiresAt?: Date | null }) {
  const s = stateOf(state);
  const title = state === 'DISABLED' && disabledAt ? `Disabled ${formatDateTime(disabledAt)}` : state === 'EXPIRED' && expiresAt ? `Expired ${formatDateTime(expiresAt)}` : undefined;
  return <Badge tone={s.tone} title={title}>{s.label}</Badge>;
}

export function SessionStateBadge({ state, revokedAt }: { state: string; revokedAt?: Date | null }) {
  const s = SESSION_STATES[state] ?? { label: state, tone: 'slate' as const, hint: '' };
  return <Badge tone={s.tone} title={state === 'REVOKED' && revokedAt ? `Ended ${formatDateTime(revokedAt)}` : s.hint}>{s.label}</Badge>;
}
