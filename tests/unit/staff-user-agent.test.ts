import { describe, expect, it } from 'vitest';
import { describeUserAgent } from '../../lib/staff/user-agent';
import { oneTimePassword } from '../../lib/staff/one-time-password';

describe('describeUserAgent', () => {
  it('names the browser and system people recognise', () => {
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86'))
      .toEqual({ browser: 'Edge 131', os: 'Windows 10', device: 'desktop', label: 'Edge 131 on Windows 10' });
    expect(describeUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0'))
      .toMatchObject({ browser: 'Firefox 133', os: 'macOS 10.15', device: 'desktop' });
    expect(describeUserAgent('Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1'))
      .toMatchObject({ os: 'iOS 17.6', device: 'tablet' });
    expect(describeUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'))
      .toMatchObject({ browser: 'Chrome 131', os: 'Android 14', device: 'mobile', label: 'Chrome 131 on Android 14' });
  });

  it('falls back to the raw string, shortened, or says it is unknown', () => {
    expect(describeUserAgent(null).label).toBe('Unknown browser');
    expect(describeUserAgent('').label).toBe('Unknown browser');
    expect(describeUserAgent('curl/8.5.0').label).toBe('curl/8.5.0');
    const long = `x${'y'.repeat(100)}`;
    expect(describeUserAgent(long).label).toBe(`${long.slice(0, 57)}…`);
  });
});

describe('oneTimePassword', () => {
  it('is four groups of five unambiguous characters, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = oneTimePassword();
      expect(pw).toMatch(/^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){3}$/);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });
});
