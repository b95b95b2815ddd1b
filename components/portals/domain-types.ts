import type { ActionResult } from '@/lib/http/action';

/** A domain as the console page passes it to client components (dates as ISO strings). */
export interface DomainItem {
  id: string; hostname: string; status: 'VERIFIED' | 'PENDING' | 'LOST'; txtName: string; txtValue: string;
  verifiedAt: string | null; lastCheckedAt: string | null; lastError: string | null; createdAt: string;
}

export type AddDomainAction = (input: { portalId: string; hostname: string }) => Promise<ActionResult<{ id: string; hostname: string }>>;
export type DomainAction = (input: { portalId: string; id: string }) => Promise<ActionResult<{ id: string; verified?: boolean; lastError?: string | null }>>;
