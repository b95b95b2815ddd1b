import type { SharePermission } from '@/lib/policy/types';
import { Icon } from '../ui/icons';

/** In the document's header: what this guest may do in the discussion. */
export function PermissionNote({ permission }: { permission: SharePermission }) {
  if (permission === 'EDIT') return <span className="inline-flex items-center gap-1 text-slate-500" data-testid="permission"><Icon name="pencil" className="size-3.5" />You can comment and propose changes</span>;
  if (permission === 'COMMENT') return <span className="inline-flex items-center gap-1 text-slate-500" data-testid="permission"><Icon name="pencil" className="size-3.5" />You can comment</span>;
  return <span className="inline-flex items-center gap-1 text-slate-500" data-testid="permission"><Icon name="eye" className="size-3.5" />Comments are read-only for you</span>;
}
