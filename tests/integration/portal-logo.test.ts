import crypto from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { archivePortal, createPortal, setPortalLogo } from '../../lib/portals/admin';
import { LOGO_MAX_BYTES, processLogo } from '../../lib/portals/logo';
import { GET as publicLogo } from '../../app/api/portal/v1/portals/[slug]/logo/route';
import { DELETE as deleteLogo, POST as uploadLogo } from '../../app/api/v1/portals/[id]/logo/route';
import { createOrg, createStaff } from '../helpers/factory';

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');
let bomb: Buffer;
let photo: Buffer;

beforeAll(async () => {
  // 400 megapixels of white: a few hundred kilobytes on disk, over a gigabyte once decoded.
  bomb = await sharp({ create: { width: 20000, height: 20000, channels: 3, background: '#ffffff' }, limitInputPixels: false }).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer();
  photo = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#1f3a5f' } })
    .withExif({ IFD0: { Copyright: 'Internal: do not publish', Artist: 'J. Smith' } })
    .jpeg().toBuffer();
}, 120_000);

async function setup() {
  const org = await createOrg();
  const { principal } = await createStaff(org.id, 'MEMBER');
  const portal = await createPortal(principal, { name: 'Logo portal', slug: `logo-${crypto.randomBytes(4).toString('hex')}` });
  const key = (await issueApiKey({ orgId: org.id, name: 'logo', scopes: ['portals:read', 'portals:write'], actor: null })).key;
  return { org, p: principal, portal, key };
}

function upload(id: string, key: string, bytes: Buffer, name: string, type: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return uploadLogo(new Request(`http://liaison.test/api/v1/portals/${id}/logo`, { method: 'POST', body: form, headers: { authorization: `Bearer ${key}`, ...extra } }), { params: Promise.resolve({ id }) });
}
const fetchPublic = (slug: string, headers: Record<string, string> = {}) =>
  publicLogo(new Request(`http://liaison.test/api/portal/v1/portals/${slug}/logo`, { headers }), { params: Promise.resolve({ slug }) });

describe('processLogo', () => {
  it('refuses SVG whatever the file is called', async () => {
    await expect(processLogo(SVG)).rejects.toMatchObject({ code: 'unsupported_media_type', message: /SVG/ });
  });

  it('refuses an image bomb from its header, before decoding', async () => {
    expect(bomb.length).toBeLessThan(LOGO_MAX_BYTES);
    const started = Date.now();
    await expect(processLogo(bomb)).rejects.toMatchObject({ code: 'unprocessable', message: /20000×20000/ });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses files over 1 MB, and things that are not images', async () => {
    await expect(processLogo(Buffer.alloc(LOGO_MAX_BYTES + 1))).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(processLogo(Buffer.from('%PDF-1.7 not a logo'))).rejects.toMatchObject({ code: 'unsupported_media_type' });
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).gif().toBuffer();
    await expect(processLogo(gif)).rejects.toMatchObject({ code: 'unsupported_media_type', message: /GIF/ });
  });

  it('re-encodes a good image to a PNG within 512×512 with its metadata stripped', async () => {
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const out = await processLogo(photo);
    expect(out).toMatchObject({ mediaType: 'image/png', width: 512, height: 256 });
    const meta = await sharp(out.bytes).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 512, height: 256 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(out.bytes.includes(Buffer.from('do not publish'))).toBe(false);
  });
});

describe('logo routes', () => {
  it('uploads through the staff route and serves the logo publicly with validation caching', async () => {
    const { org, portal, key } = await setup();
    const res = await upload(portal.id, key, photo, 'logo.jpg', 'image/jpeg');
    expect(res.status).toBe(200);
    expect((await res.json()).logoUrl).toMatch(new RegExp(`^/api/v1/portals/${portal.id}/logo\\?v=`));
    const served = await fetchPublic(portal.slug);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('cache-control')).toMatch(/must-revalidate/);
    const etag = served.headers.get('etag')!;
    expect(etag).toMatch(/^"logo-/);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).format).toBe('png');
    expect((await fetchPublic(portal.slug, { 'if-none-match': etag })).status).toBe(304);
    const [ev] = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'portal.logo' } });
    expect(ev.details).toMatchObject({ portalId: portal.id, action: 'set', mediaType: 'image/png' });
  });

  it('refuses an SVG named .png, an oversized body and a bomb, and keeps the old logo', async () => {
    const { portal, key } = await setup();
    const svg = await upload(portal.id, key, SVG, 'logo.png', 'image/png');
    expect(svg.status).toBe(415);
    expect((await svg.json()).error).toBe('unsupported_media_type');
    const big = await upload(portal.id, key, Buffer.alloc(LOGO_MAX_BYTES + 100_000, 1), 'big.png', 'image/png');
    expect(big.status).toBe(413);
    const bombed = await upload(portal.id, key, bomb, 'bomb.png', 'image/png');
    expect(bombed.status).toBe(422);
    expect((await prisma().portal.findUniqueOrThrow({ where: { id: portal.id } })).logo).toBeNull();
  });

  it('answers 404 for unknown portals, portals without a logo and archived portals', async () => {
    const { p, portal, key } = await setup();
    expect((await fetchPublic(portal.slug)).status).toBe(404);
    expect((await fetchPublic('no-such-portal-here')).status).toBe(404);
    await setPortalLogo(p, portal.id, photo);
    expect((await fetchPublic(portal.slug)).status).toBe(200);
    await archivePortal(p, portal.id);
    expect((await fetchPublic(portal.slug)).status).toBe(404);
    await archivePortal(p, portal.id, false);
    const del = await deleteLogo(new Request(`http://liaison.test/api/v1/portals/${portal.id}/logo`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ id: portal.id }) });
    expect(del.status).toBe(204);
    expect((await fetchPublic(portal.slug)).status).toBe(404);
  });

  it("refuses another organisation's key", async () => {
    const { portal } = await setup();
    const other = await createOrg();
    const key = (await issueApiKey({ orgId: other.id, name: 'other', actor: null })).key;
    expect((await upload(portal.id, key, photo, 'logo.jpg', 'image/jpeg')).status).toBe(404);
  });
});
