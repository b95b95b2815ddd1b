import type { StaffRole } from '../generated/prisma/enums';

export const SCOPES = ['documents:read', 'documents:write', 'shares:read', 'shares:write', 'portals:read', 'portals:write', 'audit:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_LABELS: Record<Scope, string> = {
  'documents:read': 'Read documents and download them',
  'documents:write': 'Upload, version and delete documents',
  'shares:read': 'See shares and their access logs',
  'shares:write': 'Create, change and revoke shares',
  'portals:read': 'See portals, their sections and access grants',
  'portals:write': 'Create and brand portals, manage their sections and grant or revoke access',
  'audit:read': 'Read the audit trail',
  admin: 'Manage API keys, staff and organisation policy',
};

export const ROLE_SCOPES: Record<StaffRole, readonly Scope[]> = {
  ADMIN: SCOPES,
  // A portal grant releases documents outside the organisation exactly as a share does, so whoever may
  // share may also run portals; auditors see them, as they see shares.
  MEMBER: ['documents:read', 'documents:write', 'shares:read', 'shares:write', 'portals:read', 'portals:write'],
  AUDITOR: ['documents:read', 'shares:read', 'portals:read', 'audit:read'],
};

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);
