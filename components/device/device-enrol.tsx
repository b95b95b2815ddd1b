'use client';
import { useEffect } from 'react';
import { createProof, getDeviceKey } from './device-key';

/**
 * On the sign-in step of a device-bound share or portal: creates this browser's device key (once),
 * installs the service worker that proves it on every later request (public/device-sw.js), and puts a
 * proof into each sign-in form (field `dpop`), so the session opens bound to this key. Without script,
 * service workers or WebCrypto (an insecure origin), nothing is added and the server refuses the
 * device-bound grant with device_denied, saying why.
 */
export function DeviceEnrol({ site }: { site: 'console' | 'portal' }) {
  useEffect(() => {
    let stopped = false;
    void getDeviceKey().catch(() => undefined);
    if ('serviceWorker' in navigator) {
      void navigator.serviceWorker.register(`/device-sw.js?site=${site}`, { scope: '/' }).catch(() => undefined);
    }
    const onSubmit = (e: SubmitEvent) => {
      const form = e.target instanceof HTMLFormElement ? e.target : null;
      if (!form || form.method.toLowerCase() !== 'post' || form.dataset.proofAdded === '1' || stopped) return;
      e.preventDefault();
      void (async () => {
        try {
          const proof = await createProof({ method: 'POST', url: form.action });
          let field = form.querySelector<HTMLInputElement>('input[name="dpop"]');
          if (!field) {
            field = document.createElement('input');
            field.type = 'hidden';
            field.name = 'dpop';
            form.appendChild(field);
          }
          field.value = proof;
          // The page after sign-in must go through the service worker to carry its proof: wait (briefly) for it.
          if ('serviceWorker' in navigator) await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 3000))]);
        } catch { /* no key: sign in without one */ }
        form.dataset.proofAdded = '1';
        form.requestSubmit();
      })();
    };
    document.addEventListener('submit', onSubmit, true);
    return () => { stopped = true; document.removeEventListener('submit', onSubmit, true); };
  }, [site]);
  return null;
}
