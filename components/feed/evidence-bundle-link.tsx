import { Icon } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';

/**
 * Downloads a signed evidence bundle for a share or a guest (GET /api/v1/audit/evidence, which checks
 * audit:read and records the download). Pages show it to admins and auditors only.
 */
export function EvidenceBundleLink({ kind, id }: { kind: 'share' | 'guest'; id: string }) {
  return (
    <a
      href={`/api/v1/audit/evidence?${kind}=${encodeURIComponent(id)}`}
      download
      className={button('secondary')}
      data-testid="evidence-bundle"
      title={`Every audit event about this ${kind} and the terms accepted, signed with your organisation's key (verify with liaison audit verify-bundle)`}
    >
      <Icon name="download" className="size-4" />Evidence bundle
    </a>
  );
}
