import { builder } from './builder';
// Each area registers its types and root fields on import: one line per file in types/.
import './types/scalars';
import './types/enums';
import './types/me';
import './types/documents';
import './types/audit';
import './types/api-keys';
import './types/shares';
import './types/terms';
import './types/org-policy';
import './types/signing-keys';
import './types/staff';
import './types/mail';
import './types/webhooks';
import './types/guests';
import './types/invitations';
import './types/partner-orgs';
import './types/portals';
import './types/portal-domains';
import './types/devices';
import './types/portal-analytics';
import './types/collab';
import './types/proposals';
import './types/access-reviews';

export const schema = builder.toSchema();
