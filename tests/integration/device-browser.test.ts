import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDeviceProof } from '../../lib/devices/dpop';
import { createMemoryJtiStore } from '../../lib/devices/jti-store';
import { jwkThumbprint, parsePublicJwk } from '../../lib/devices/keys';

/*
 * The browser half of device binding (components/device/device-key.ts) in real Chromium: the module is
 * bundled with esbuild and served from 127.0.0.1 (a secure context, so WebCrypto and IndexedDB work);
 * its proofs are checked by the server's own verifyDeviceProof.
 */

declare global {
  interface Window { LiaisonDevice: typeof import('../../components/device/device-key') }
}

const store = createMemoryJtiStore();
let server: http.Server;
let origin: string;
let browser: Browser;
const received: { method: string; url: string; dpop: string | undefined }[] = [];

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, '../../components/device/device-key.ts')],
    bundle: true, format: 'iife', globalName: 'LiaisonDevice', write: false, target: 'es2022',
  });
  const js = bundle.outputFiles[0].text;
  server = http.createServer((req, res) => {
    if (req.url === '/device.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (req.url?.startsWith('/api/')) {
      received.push({ method: req.method!, url: `${origin}${req.url}`, dpop: req.headers.dpop as string | undefined });
      return void res.writeHead(204).end();
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>device</title><script src="/device.js"></script>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

async function openPage(context: Awaited<ReturnType<Browser['newContext']>>): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => typeof window.LiaisonDevice?.getDeviceKey === 'function');
  return page;
}

describe('device key in Chromium', () => {
  it('creates a non-extractable P-256 key, keeps it across reloads, and signs proofs the server accepts', async () => {
    const context = await browser.newContext();
    const page = await openPage(context);
    const key = await page.evaluate(async () => {
      const [a, b] = await Promise.all([window.LiaisonDevice.getDeviceKey(), window.LiaisonDevice.getDeviceKey()]);
      const k = a.privateKey;
      let exported = 'exported';
      try { await crypto.subtle.exportKey('jwk', k); } catch (e) { exported = (e as Error).name; }
      return {
        same: a === b, extractable: k.extractable, type: k.type, usages: k.usages, algorithm: k.algorithm as EcKeyAlgorithm, exported,
        thumbprint: await window.LiaisonDevice.deviceThumbprint(), jwk: await window.LiaisonDevice.publicJwk(),
      };
    });
    expect(key.same).toBe(true);
    expect(key.extractable).toBe(false);
    expect(key.type).toBe('private');
    expect(key.usages).toEqual(['sign']);
    expect(key.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(key.exported).toBe('InvalidAccessError');
    expect(Object.keys(key.jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const parsed = parsePublicJwk(key.jwk);
    expect(parsed.ok).toBe(true);
    // The browser's thumbprint is the server's (the value a token's cnf.jkt will carry).
    expect(key.thumbprint).toBe(await jwkThumbprint(parsed.ok ? parsed.jwk : (null as never)));

    const url = `${origin}/api/portal/v1/documents?page=2#top`;
    const proof = await page.evaluate(async (u) => window.LiaisonDevice.createProof({ method: 'get', url: u, ath: await window.LiaisonDevice.tokenHash('the-access-token') }), url);
    const verified = await verifyDeviceProof({ proof, method: 'GET', url: `${origin}/api/portal/v1/documents`, accessToken: 'the-access-token', store });
    expect(verified).toMatchObject({ ok: true, thumbprint: key.thumbprint });
    // The same proof again, or for another token, is refused.
    expect(await verifyDeviceProof({ proof, method: 'GET', url, accessToken: 'the-access-token', store })).toEqual({ ok: false, reason: 'replayed' });

    // The key survives a reload (IndexedDB), so the browser stays the same device.
    await page.reload();
    await page.waitForFunction(() => typeof window.LiaisonDevice?.getDeviceKey === 'function');
    expect(await page.evaluate(() => window.LiaisonDevice.deviceThumbprint())).toBe(key.thumbprint);
    await context.close();
  });

  it('deviceFetch sends a fresh proof bound to the method, URL and access token', async () => {
    const context = await browser.newContext();
    const page = await openPage(context);
    received.length = 0;
    await page.evaluate(async () => {
      await window.LiaisonDevice.deviceFetch('/api/echo?x=1', { method: 'POST', body: 'hi' }, { accessToken: 'tok-1' });
      await window.LiaisonDevice.deviceFetch(new Request('/api/other'), {}, {});
    });
    expect(received.map((r) => r.method)).toEqual(['POST', 'GET']);
    const [post, get] = received;
    expect(await verifyDeviceProof({ proof: post.dpop, method: post.method, url: post.url, accessToken: 'tok-1', store })).toMatchObject({ ok: true });
    expect(await verifyDeviceProof({ proof: get.dpop, method: 'GET', url: get.url, store })).toMatchObject({ ok: true });
    // Replayed to another endpoint or with another method: refused.
    expect(await verifyDeviceProof({ proof: get.dpop, method: 'GET', url: `${origin}/api/echo`, store })).toEqual({ ok: false, reason: 'wrong_url' });
    await context.close();
  });

  it('a second browser context (fresh storage) is a different device', async () => {
    const thumbprints: string[] = [];
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext();
      const page = await openPage(context);
      thumbprints.push(await page.evaluate(() => window.LiaisonDevice.deviceThumbprint()));
      await context.close();
    }
    expect(thumbprints[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(thumbprints[1]).not.toBe(thumbprints[0]);
  });
});
