// Support-ticket phrases for TICK (four categories) and ROUTE (the fine-tuning target: new teams, half new phrases).

/** TICK: category → phrases (US spelling; the uk cohort rewrites them with UK_SPELLING). */
export const TICK_PHRASES: Record<string, readonly string[]> = {
  billing: [
    'i was charged twice',
    'my card was declined',
    'the invoice is wrong',
    'why is my bill so high',
    'update my payment method',
    'my check bounced',
    'extra fee on my card',
    'the price on my bill changed',
  ],
  login: [
    'i cannot log in',
    'password reset is broken',
    'my account is locked',
    'the code never arrives',
    'i forgot my username',
    'login page shows an error',
    'new cell number for codes',
    'my session keeps expiring',
  ],
  shipping: [
    'my package is late',
    'where is my order',
    'tracking has not updated',
    'wrong zip code on label',
    'package arrived damaged',
    'deliver to my apartment',
    'courier left it outside',
    'order stuck in transit',
  ],
  refund: [
    'i want my money back',
    'refund has not arrived',
    'order canceled but no refund',
    'send a return label',
    'how long do refunds take',
    'item was the wrong color',
    'cancel and refund my order',
    'the refund amount is wrong',
  ],
};

/** TICK wrappers around a phrase. */
export const TICK_TEMPLATES: readonly string[] = ['{p}', 'hi, {p}', '{p}, please help', 'help: {p}'];

/** ROUTE: team → phrases; the first four of each are TICK phrases (from mixed categories), the rest are new. */
export const ROUTE_PHRASES: Record<string, readonly string[]> = {
  cashdesk: [
    'i was charged twice',
    'extra fee on my card',
    'refund has not arrived',
    'the refund amount is wrong',
    'need a copy of my receipt',
    'my coupon did not apply',
    'tax on my order looks off',
    'gift card balance missing',
  ],
  techdesk: [
    'i cannot log in',
    'my account is locked',
    'login page shows an error',
    'the code never arrives',
    'the app crashes on start',
    'website will not load',
    'dark mode looks broken',
    'notifications stopped working',
  ],
  warehouse: [
    'my package is late',
    'package arrived damaged',
    'order stuck in transit',
    'send a return label',
    'a part is missing from the box',
    'i got someone else parcel',
    'box was left in the rain',
    'can you hold my delivery',
  ],
  manager: [
    'i want my money back',
    'the invoice is wrong',
    'i want to speak to a person',
    'this is my third complaint',
    'your staff was rude to me',
    'i will close my account',
    'nobody answers my emails',
    'i want to file a formal complaint',
  ],
};

/** ROUTE wrappers: distinct from TICK's so the target skill is a new format as well as new labels. */
export const ROUTE_TEMPLATES: readonly string[] = ['{p}', 're: {p}', '{p} asap', 'urgent - {p}'];

/** Words the uk cohort spells differently (whole-word replacement). */
export const UK_SPELLING: Record<string, string> = {
  check: 'cheque',
  cell: 'mobile',
  package: 'parcel',
  zip: 'post',
  apartment: 'flat',
  canceled: 'cancelled',
  color: 'colour',
  line: 'queue',
};

export const TICKET_COHORTS = ['us', 'uk'] as const;

export function phraseFor(phrase: string, cohort: string | undefined): string {
  if (cohort !== 'uk') return phrase;
  return phrase
    .split(' ')
    .map((w) => UK_SPELLING[w] ?? w)
    .join(' ');
}
