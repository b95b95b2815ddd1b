import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { findPortalById } from './portal-lookup';

const hex = (c: string, fallback: string) => (/^#[0-9a-fA-F]{6}$/.test(c) ? c : fallback);

/**
 * The portal's colours for the owner's preview frame ([data-portal-preview]), as a stylesheet. A file
 * rather than an inline <style>: the console's policy lets inline styles run only with the nonce of the
 * page load, and the preview is reached by client-side navigation, whose markup carries another one.
 * The colours passed WCAG AA against white when the portal was saved.
 */
export async function previewBrandCss(p: Principal, portalId: string): Promise<string> {
  authorize(p, 'portals:read');
  const portal = await findPortalById(portalId);
  if (!portal || portal.orgId !== p.orgId) throw new AppError('not_found', 'No such portal.');
  return `[data-portal-preview]{--portal-primary:${hex(portal.primaryColor, '#1f3a5f')};--portal-accent:${hex(portal.accentColor, '#b4471f')}}\n`;
}
