// PII scan: hand-checked positives and negatives per kind, Luhn, and per-record example lines.
import { describe, expect, it } from 'vitest';
import { luhnValid, scanPii, scanText } from './pii-scan';

describe('scanText', () => {
  it('finds emails', () => {
    expect(scanText('write to ana.lopez+work@mail.example.co.uk or bob@x.io').email).toBe(2);
    expect(scanText('not an email: a@b, @home, x@y.z').email).toBe(0);
  });

  it('finds card numbers only when the Luhn check passes', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(scanText('card 4111 1111 1111 1111 and 5500-0000-0000-0004').creditCard).toBe(2);
    expect(scanText('order 4111111111111112').creditCard).toBe(0);
    expect(scanText('card 4111 1111 1111 1111').phone).toBe(0);
  });

  it('finds IPv4 and IPv6 addresses but not versions or out-of-range quads', () => {
    expect(scanText('server 192.168.0.1, gateway 10.0.0.254').ipAddress).toBe(2);
    expect(scanText('v1.2.3.4.5 and 256.1.1.1 and 1.2.3').ipAddress).toBe(0);
    expect(scanText('ipv6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 or fe80::1ff:fe23:4567:890a').ipAddress).toBe(2);
    expect(scanText('192.168.0.1').phone).toBe(0);
  });

  it('finds phone numbers in common formats but not dates, years or plain numbers', () => {
    expect(scanText('call +1 415-555-2671').phone).toBe(1);
    expect(scanText('tel (030) 1234 5678').phone).toBe(1);
    expect(scanText('ring 020 7946 0958 or +44 20 7946 0958').phone).toBe(2);
    expect(scanText('on 2024-01-02 in 1999 we sold 12345 units at 3.14').phone).toBe(0);
  });
});

describe('scan cost', () => {
  it('stays linear on long adversarial runs', () => {
    const start = performance.now();
    for (const text of ['a'.repeat(300_000), 'a.'.repeat(150_000) + '@', '1 '.repeat(150_000), 'x@' + 'a.'.repeat(150_000), '1.'.repeat(150_000)]) scanText(text);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});

describe('scanPii', () => {
  it('counts matches and records, with example line numbers', () => {
    const report = scanPii([
      { kind: 'text', line: 3, text: 'mail me: a@b.com, c@d.org' },
      { kind: 'prompt-completion', line: 5, prompt: 'ip?', completion: '8.8.8.8' },
      { kind: 'messages', line: 9, messages: [{ role: 'user', content: 'e@f.net' }, { role: 'assistant', content: 'ok' }] },
      { kind: 'text', line: 11, text: 'nothing here' },
    ]);
    expect(report.email).toEqual({ count: 3, records: 2, exampleLines: [3, 9] });
    expect(report.ipAddress).toEqual({ count: 1, records: 1, exampleLines: [5] });
    expect(report.phone).toEqual({ count: 0, records: 0, exampleLines: [] });
    expect(report.creditCard.count).toBe(0);
  });
});
