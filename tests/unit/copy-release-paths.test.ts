import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Leak tracing holds only if every path that releases a document's bytes to a guest makes a copy record
 * and stamps its code. All of them go through two functions, openGuestDownload (lib/guest/content.ts)
 * and serveGuestPage (lib/guest/pages.ts); these tests keep it that way:
 *
 * - every route of app/ is listed below as a guest release (and through which of the two), or as not
 *   one (and why). A new route fails here until it is classified;
 * - only known modules touch the stored bytes or the renderer, and the guest ones record copies.
 *
 * tests/integration/copy-trace.test.ts runs each guest release route and traces what it returned.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

type Release = { release: 'download' | 'page_image'; via: string } | { release: false; why: string };

const ROUTES: Record<string, Release> = {
  'app/s/[token]/d/[docId]/download/route.ts': { release: 'download', via: 'guestLinkDownloadRoute' },
  'app/s/[token]/d/[docId]/pages/[page]/route.ts': { release: 'page_image', via: 'pageImageResponse' },
  'app/p/[slug]/d/[docId]/download/route.ts': { release: 'download', via: 'portalDownloadRoute' },
  'app/p/[slug]/d/[docId]/pages/[page]/route.ts': { release: 'page_image', via: 'portalPageImageRoute' },
  'app/api/portal/v1/documents/[id]/content/route.ts': { release: 'download', via: 'documentContent' },
  'app/api/portal/v1/documents/[id]/pages/[page]/route.ts': { release: 'page_image', via: 'pageImageResponse' },
  // Staff, not guests: the staff member's own download, audited as theirs.
  'app/api/v1/documents/[id]/content/route.ts': { release: false, why: 'staff download (documents:read)' },
  'app/api/v1/proposals/[id]/content/route.ts': { release: false, why: 'staff reads a version a guest proposed (bytes come from the guest)' },
  'app/(console)/portals/[id]/preview/pages/[previewId]/[page]/route.ts': { release: false, why: 'staff preview; its mark names the staff member' },
  'app/(console)/documents/[id]/audit-export/route.ts': { release: false, why: 'staff export of audit events, no document bytes' },
  'app/(console)/portals/[id]/analytics/export/route.ts': { release: false, why: 'staff CSV of analytics' },
  'app/(console)/documents/[id]/dissemination/export/route.ts': { release: false, why: 'staff CSV of the dissemination log, no document bytes' },
  'app/(console)/reviews/campaigns/[id]/export/route.ts': { release: false, why: 'staff CSV of a review campaign' },
  'app/api/v1/audit/evidence/route.ts': { release: false, why: 'signed evidence bundle: audit events and terms texts, no document bytes' },
  'app/api/v1/audit/export/route.ts': { release: false, why: 'audit trail as NDJSON, no document bytes' },
  'app/(console)/portals/[id]/preview/brand.css/route.ts': { release: false, why: 'portal colours' },
  'app/api/v1/portals/[id]/logo/route.ts': { release: false, why: 'portal logo (staff upload)' },
  'app/api/portal/v1/portals/[slug]/logo/route.ts': { release: false, why: 'portal logo, public branding' },
  'app/api/v1/copies/trace/route.ts': { release: false, why: 'leak tracing itself' },
  'app/api/portal/v1/documents/route.ts': { release: false, why: 'list of titles and metadata' },
  'app/api/portal/v1/documents/[id]/route.ts': { release: false, why: 'page layout and metadata' },
  'app/api/portal/v1/documents/[id]/proposals/route.ts': { release: false, why: 'the guest\'s own proposals (metadata)' },
  'app/s/[token]/d/[docId]/proposals/route.ts': { release: false, why: 'the guest\'s own proposals (metadata)' },
  'app/p/[slug]/d/[docId]/proposals/route.ts': { release: false, why: 'the guest\'s own proposals (metadata)' },
  'app/api/portal/v1/sessions/route.ts': { release: false, why: 'opens a session' },
  'app/api/portal/v1/codes/route.ts': { release: false, why: 'mails a sign-in code' },
  'app/api/portal/v1/domains/check/route.ts': { release: false, why: 'TLS on-demand check' },
  'app/s/[token]/session/route.ts': { release: false, why: 'gate form' },
  'app/s/[token]/terms/route.ts': { release: false, why: 'terms acceptance' },
  'app/s/[token]/code/route.ts': { release: false, why: 'sign-in code' },
  'app/s/[token]/code/reset/route.ts': { release: false, why: 'sign-in code' },
  'app/s/[token]/realtime-token/route.ts': { release: false, why: 'socket token' },
  'app/s/[token]/sso/complete/route.ts': { release: false, why: 'single sign-on' },
  'app/p/[slug]/session/route.ts': { release: false, why: 'sign-in form' },
  'app/p/[slug]/code/route.ts': { release: false, why: 'sign-in code' },
  'app/p/[slug]/terms/route.ts': { release: false, why: 'terms acceptance' },
  'app/p/[slug]/signout/route.ts': { release: false, why: 'sign-out' },
  'app/p/[slug]/realtime-token/route.ts': { release: false, why: 'socket token' },
  'app/p/[slug]/sso/complete/route.ts': { release: false, why: 'single sign-on' },
  'app/i/[secret]/accept/route.ts': { release: false, why: 'invitation' },
  'app/sso/[providerId]/acs/route.ts': { release: false, why: 'single sign-on' },
  'app/sso/[providerId]/callback/route.ts': { release: false, why: 'single sign-on' },
  'app/sso/[providerId]/metadata/route.ts': { release: false, why: 'SAML metadata' },
  'app/sso/[providerId]/start/route.ts': { release: false, why: 'single sign-on' },
  'app/sso/staff/route.ts': { release: false, why: 'staff single sign-on' },
  'app/.well-known/jwks.json/route.ts': { release: false, why: 'public keys' },
  'app/api/auth/[...nextauth]/route.ts': { release: false, why: 'staff sign-in' },
  'app/api/graphql/route.ts': { release: false, why: 'GraphQL returns no document bytes (checked below)' },
  'app/api/health/route.ts': { release: false, why: 'health' },
};

/**
 * Modules that read stored document bytes, render pages or stamp copies. The guest ones must record a
 * copy for what they release; the others serve staff or are the machinery the guest ones call.
 */
const BYTE_TOUCHERS: Record<string, { guest: true; records: string } | { guest: false; why: string }> = {
  'lib/guest/content.ts': { guest: true, records: 'recordDownloadCopy' },
  'lib/guest/pages.ts': { guest: true, records: 'pageCopyCode' },
  'lib/documents/service.ts': { guest: false, why: 'staff download' },
  'lib/collab/proposals.ts': { guest: false, why: 'staff read of a proposed version' },
  'lib/portals/preview-document.ts': { guest: false, why: 'staff preview' },
  'lib/render/pages.ts': { guest: false, why: 'renderer and its cache (unmarked pixels, never sent by itself)' },
  'lib/render/pixel-watermark.ts': { guest: false, why: 'draws the mark it is given' },
  'lib/storage/blob-store.ts': { guest: false, why: 'the store itself' },
  'lib/watermark/watermark-pdf.ts': { guest: false, why: 'stamps the mark it is given' },
  'lib/watermark/fast/index-store.ts': { guest: false, why: 'indexes a version once (upload or first download); releases nothing' },
};

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'generated' && e.name !== 'node_modules') walk(rel, out); } else out.push(rel);
  }
  return out;
}

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

describe('guest release paths', () => {
  it('every route is classified, and each guest release goes through openGuestDownload or serveGuestPage', () => {
    const routes = walk('app').filter((f) => /\/route\.ts$/.test(f)).sort();
    expect(routes.filter((r) => !(r in ROUTES)), 'unclassified routes: add them to ROUTES').toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !routes.includes(r)), 'routes listed that no longer exist').toEqual([]);
    for (const [file, c] of Object.entries(ROUTES)) {
      const src = read(file);
      if (c.release) expect(src, file).toContain(c.via);
      else for (const fn of ['openGuestDownload', 'pageImageResponse', 'serveGuestPage', 'portalDownloadRoute', 'portalPageImageRoute', 'guestLinkDownloadRoute']) expect(src, `${file} (${c.why})`).not.toContain(fn);
    }
    // The wrappers named above end in the two functions.
    expect(read('lib/http/guest-route.ts')).toMatch(/guestLinkDownloadRoute[\s\S]*openGuestDownload\(ctx\)/);
    expect(read('lib/http/portal-route.ts')).toMatch(/portalPageImageRoute = \(\) => portalDocumentRoute\('view', \(req, ctx, p\) => pageImageResponse/);
    expect(read('lib/http/portal-route.ts')).toMatch(/portalDownloadRoute = \(\) => portalDocumentRoute\('download', async \(_req, ctx\) => fileResponse\(await openGuestDownload\(ctx\)/);
    expect(read('lib/http/page-image-response.ts')).toContain('await serveGuestPage(ctx, page');
    // The guest API's content route, shared with server.ts's raw fast path (lib/http/hot-guest-gets.ts).
    expect(read('lib/http/guest-api-routes.ts')).toMatch(/documentContent = guestRoute<\{ id: string \}>\('download',\s+async \(_req, ctx\) => fileResponse\(await openGuestDownload\(ctx\), 'attachment'\),\s+async \(_req, ctx\) => fileResponse\(await openGuestDownload\(ctx\), 'attachment'\)\)/);
    expect(read('lib/http/hot-guest-gets.ts')).toContain('documentContent(r, ');
  });

  it('only known modules touch stored bytes or the renderer, and the guest ones record a copy', () => {
    const sources = [...walk('lib'), ...walk('app'), ...walk('cli'), ...walk('components'), 'server.ts'].filter((f) => /\.(ts|tsx|mjs)$/.test(f));
    const touching = sources.filter((f) => /\b(readBlob|readBlobBuffer|pageImage|warmPage|watermarkPageImage|watermarkPdf|restrictPdf)\(/.test(read(f))).sort();
    expect(touching).toEqual(Object.keys(BYTE_TOUCHERS).sort());
    expect(read('lib/guest/content.ts')).toMatch(/await recordDownloadCopy\([\s\S]*await auditGuest\(ctx\.orgId, 'guest\.download'/);
    expect(read('lib/guest/pages.ts')).toMatch(/pageCopyCode\(tx,/);
    for (const [file, c] of Object.entries(BYTE_TOUCHERS)) if (c.guest) expect(read(file), file).toContain(c.records);
    // Sockets and GraphQL carry no document bytes.
    for (const f of sources.filter((s) => s.startsWith('lib/realtime/') || s.startsWith('lib/graphql/'))) {
      expect(read(f), f).not.toMatch(/\b(readBlob|readBlobBuffer|openGuestDownload|serveGuestPage|openDocumentContent|openProposalContent)\b/);
    }
  });
});
