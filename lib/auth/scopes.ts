import type { StaffRole } from '../generated/prisma/enums';

export const SCOPES = ['documents:read', 'documents:write', 'shares:read', 'shares:write', 'audit:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_LABELS: Record<Scope, string> = {
  'documents:read': 'Read documents and download them',
  'documents:write': 'Upload, version and delete documents',
  'shares:read': 'See shares and their access logs',
  'shares:write': 'Create, change and revoke shares',
  'audit:read': 'Read the audit trail',
  admin: 'Manage API keys, staff and organisation policy',
};

export const ROLE_SCOPES: Record<StaffRole, readonly Scope[]> = {
  ADMIN: SCOPES,
  MEMBER: ['documents:read', 'documents:write', 'shares:read', 'shares:write'],
  AUDITOR: ['documents:read', 'shares:read', 'audit:read'],
};

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);
