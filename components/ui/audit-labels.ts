/** Human labels for audit event types; unknown types (added later by other modules) show as stored. */
const LABELS: Record<string, string> = {
  'staff.signin': 'Staff sign-in',
  'staff.signout': 'Staff sign-out',
  'staff.create': 'Staff account created',
  'document.upload': 'Document uploaded',
  'document.version': 'New version uploaded',
  'document.download': 'Document downloaded',
  'document.delete': 'Document deleted',
  'apikey.create': 'API key created',
  'apikey.revoke': 'API key revoked',
  'share.create': 'Share created',
  'share.update': 'Share changed',
  'share.revoke': 'Share revoked',
  'share.access': 'Share accessed',
  'audit.verify': 'Audit chain verified',
};

export const auditTypeLabel = (type: string) => LABELS[type] ?? type;
