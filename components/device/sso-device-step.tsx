'use client';
import { useEffect, useRef } from 'react';

/**
 * The last step of a partner's single sign-on into a device-bound share or portal: the IdP's redirect
 * cannot prove the browser's device key, so this form posts the one-time code back, and DeviceEnrol
 * (rendered before this component, so its submit listener is in place first) adds the proof made with
 * the key. It submits itself once; the button is there for a browser that stopped it, and for keyboards.
 */
export function SsoDeviceStep({ action, code, buttonClass }: { action: string; code: string; buttonClass: string }) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const t = setTimeout(() => form.current?.requestSubmit(), 0);
    return () => clearTimeout(t);
  }, []);
  return (
    <form ref={form} method="post" action={action} className="mt-6" data-testid="sso-device-step">
      <input type="hidden" name="code" value={code} />
      <button type="submit" className={buttonClass}>Continue</button>
    </form>
  );
}
