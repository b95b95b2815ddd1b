import { updateSharePolicy } from '../../shares/service';
import { builder } from '../builder';
import { Organization } from './me';

builder.mutationFields((t) => ({
  updateSharePolicy: t.field({
    type: Organization,
    description: 'Sets the expiry new shares get by default and the longest any share may have, in days (1 to 3650, default ≤ maximum). Existing shares keep their expiry.',
    authScopes: { admin: true },
    args: { defaultShareDays: t.arg.int({ required: true }), maxShareDays: t.arg.int({ required: true }) },
    resolve: (_r, a, ctx) => updateSharePolicy(ctx.principal, { defaultShareDays: a.defaultShareDays, maxShareDays: a.maxShareDays }),
  }),
}));
