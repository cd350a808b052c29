// A simple PII scan: emails, phone numbers, card numbers (Luhn-checked) and IP addresses, with example lines.

import type { DatasetRecord } from './record';
import { recordTexts } from './record-text';

export type PiiKind = 'email' | 'phone' | 'creditCard' | 'ipAddress';

export interface PiiFinding {
  /** Matches over the whole dataset. */
  count: number;
  /** Number of records with at least one match. */
  records: number;
  /** Source line numbers of the first few records with a match. */
  exampleLines: number[];
}

export type PiiReport = Record<PiiKind, PiiFinding>;

// Quantifiers are bounded (RFC 5321 lengths) so a long run of letters cannot make the scan quadratic.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])/g;
// 13–19 digits, optionally grouped by single spaces or dashes.
const CARD = /(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d.])/g;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])/g;
const IPV6 = /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4}(?![\w:])/g;
// An optional +country code, then 2–5 groups of digits (optionally one in parentheses) joined by space, dot or dash.
const PHONE = /(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w.-]?\d)/g;

/** Luhn checksum, as card numbers carry. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Counts matches in one text; matched card numbers and IPs are blanked so they are not counted as phones too. */
export function scanText(text: string): Record<PiiKind, number> {
  const found: Record<PiiKind, number> = { email: 0, phone: 0, creditCard: 0, ipAddress: 0 };
  let rest = text.replace(EMAIL, () => {
    found.email++;
    return ' ';
  });
  rest = rest.replace(CARD, (match) => {
    const digits = match.replace(/[ -]/g, '');
    if (!luhnValid(digits)) return match;
    found.creditCard++;
    return ' ';
  });
  rest = rest.replace(IPV4, () => {
    found.ipAddress++;
    return ' ';
  });
  rest = rest.replace(IPV6, () => {
    found.ipAddress++;
    return ' ';
  });
  for (const match of rest.matchAll(PHONE)) {
    const digits = match[0].replace(/\D/g, '').length;
    // A phone number has 7–15 digits (E.164) and some separator or a + sign; dates like 2024-01-02 have 8 digits
    // but a 4-2-2 shape, which we skip.
    if (digits < 7 || digits > 15) continue;
    if (/^\d{4}[-./]\d{2}[-./]\d{2}$/.test(match[0])) continue;
    found.phone++;
  }
  return found;
}

/** Scans every text of every record; at most `maxExamples` example lines per kind. */
export function scanPii(records: readonly DatasetRecord[], maxExamples = 5): PiiReport {
  const report = {} as PiiReport;
  for (const kind of ['email', 'phone', 'creditCard', 'ipAddress'] as const) report[kind] = { count: 0, records: 0, exampleLines: [] };
  for (const record of records) {
    const seen = new Set<PiiKind>();
    for (const text of recordTexts(record)) {
      const found = scanText(text);
      for (const kind of Object.keys(found) as PiiKind[]) {
        if (found[kind] === 0) continue;
        report[kind].count += found[kind];
        seen.add(kind);
      }
    }
    for (const kind of seen) {
      report[kind].records++;
      if (report[kind].exampleLines.length < maxExamples) report[kind].exampleLines.push(record.line);
    }
  }
  return report;
}
