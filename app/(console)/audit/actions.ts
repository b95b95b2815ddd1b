'use server';

import { z } from 'zod';
import { authorize } from '@/lib/auth/principal';
import { verifyAuditChain } from '@/lib/audit/verify';
import { staffAction } from '@/lib/http/action';

const verify = staffAction(z.object({}), async (p) => {
  // verifyAuditChain takes an organisation, not a principal: the permission is checked here.
  authorize(p, 'audit:read');
  return verifyAuditChain(p.orgId);
});

export async function verifyChainAction() {
  return verify({});
}
