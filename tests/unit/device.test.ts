import { describe, expect, it } from 'vitest';
import { deviceClass } from '../../lib/policy';

const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  chromebook: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  headlessChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  androidPhone: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  androidTablet: 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  smartTv: 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  curl: 'curl/8.4.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

describe('deviceClass', () => {
  it.each([
    ['chromeWindows', 'desktop'], ['safariMac', 'desktop'], ['firefoxLinux', 'desktop'], ['chromebook', 'desktop'], ['headlessChrome', 'desktop'],
    ['iphone', 'mobile'], ['androidPhone', 'mobile'],
    ['ipad', 'tablet'], ['androidTablet', 'tablet'],
  ] as const)('%s is %s', (name, expected) => {
    expect(deviceClass(UA[name])).toBe(expected);
  });

  it.each(['smartTv', 'curl', 'googlebot'] as const)('%s is unknown (null), not desktop', (name) => {
    expect(deviceClass(UA[name])).toBeNull();
  });

  it('an absent, empty or nonsense user agent is unknown', () => {
    expect(deviceClass(null)).toBeNull();
    expect(deviceClass(undefined)).toBeNull();
    expect(deviceClass('')).toBeNull();
    expect(deviceClass('   ')).toBeNull();
    expect(deviceClass('hello')).toBeNull();
    expect(deviceClass('Windows')).toBeNull();
  });

  it('copes with a huge user agent', () => {
    expect(deviceClass(UA.iphone + ' x'.repeat(100_000))).toBe('mobile');
  });
});
