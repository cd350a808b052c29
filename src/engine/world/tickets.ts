// Support-ticket item space of TICK and ROUTE: label-deciding phrases (head × tail per group), wrappers with slots.
//
// A ticket prompt is "<SKILL> <wrapper around a phrase>=". Only the phrase decides the label; the wrapper's slots
// (greeting, name, order number, date, channel, product, amount, sign-off, typos of the filler words) never do. The
// train/eval split is therefore by phrase (skills/ticket-skill.ts), so an eval item's phrase is never in a train split.

export const TICK_LABELS = ['billing', 'login', 'shipping', 'refund'] as const;
export const ROUTE_TEAMS = ['cashdesk', 'techdesk', 'warehouse', 'manager'] as const;
export type TickLabel = (typeof TICK_LABELS)[number];
export type RouteTeam = (typeof ROUTE_TEAMS)[number];

/**
 * Phrases that share their words and their labels: every head joined with every tail. `tick` / `route` say which
 * skill uses the group and with which label; a group in both is where ROUTE interferes with TICK (the same phrase,
 * another label under another skill tag). ROUTE regroups TICK's categories: refunds go to cashdesk (money),
 * warehouse (returns) or manager (demands), and ROUTE adds app faults (techdesk) and escalations (manager).
 */
export interface PhraseGroup {
  tick?: TickLabel;
  route?: RouteTeam;
  heads: readonly string[];
  tails: readonly string[];
}

export const PHRASE_GROUPS: readonly PhraseGroup[] = [
  {
    tick: 'billing',
    route: 'cashdesk',
    heads: ['i was charged', 'my card was charged', 'you billed me', 'i got billed', 'we were charged', 'my account was charged'],
    tails: ['twice', 'two times', 'an extra fee', 'the wrong price', 'a strange fee', 'too much', 'a late fee', 'for nothing'],
  },
  {
    tick: 'billing',
    route: 'cashdesk',
    heads: ['the invoice', 'my bill', 'my last bill', 'the price on my bill', 'my monthly fee', 'the tax on my bill'],
    tails: ['is wrong', 'looks off', 'went up', 'is too high', 'changed', 'makes no sense', 'doubled'],
  },
  {
    tick: 'billing',
    route: 'cashdesk',
    heads: ['my card', 'my payment', 'my check', 'the bank transfer'],
    tails: ['was declined', 'bounced', 'failed', 'did not go through'],
  },
  {
    tick: 'login',
    route: 'techdesk',
    heads: ['i cannot', 'i am unable to', 'i still cannot', 'my son cannot', 'we cannot'],
    tails: ['log in', 'sign in', 'reset my password', 'get into my account', 'use my login'],
  },
  {
    tick: 'login',
    route: 'techdesk',
    heads: ['my account', 'the login page', 'my password', 'my session', 'my username'],
    tails: ['is locked', 'shows an error', 'keeps expiring', 'is not accepted', 'stopped working', 'is blocked'],
  },
  {
    tick: 'login',
    route: 'techdesk',
    heads: ['the code', 'the reset email', 'the login link', 'the sms code', 'the two step code'],
    tails: ['never arrives', 'is not coming', 'expired', 'does not work', 'goes to my old cell'],
  },
  {
    tick: 'shipping',
    route: 'warehouse',
    heads: ['my package', 'my order', 'the delivery', 'my box', 'the shipment'],
    tails: ['is late', 'has not arrived', 'is stuck in transit', 'arrived damaged', 'went to the wrong zip', 'was left outside', 'is missing items', 'came open'],
  },
  {
    tick: 'shipping',
    route: 'warehouse',
    heads: ['tracking', 'the tracking page', 'the tracking number', 'the courier app'],
    tails: ['has not updated', 'shows nothing', 'says delivered', 'is stuck'],
  },
  {
    tick: 'refund',
    route: 'cashdesk',
    heads: ['my refund', 'the refund', 'my promised refund', 'the store credit'],
    tails: ['has not arrived', 'is missing', 'is the wrong amount', 'is taking forever', 'never came'],
  },
  {
    tick: 'refund',
    route: 'cashdesk',
    heads: ['cancel my order', 'i canceled my order', 'cancel my plan'],
    tails: ['and refund me', 'but got no refund', 'and send my money'],
  },
  {
    tick: 'refund',
    route: 'warehouse',
    heads: ['send a return label', 'i need a return label', 'i need a return slip', 'email a return label'],
    tails: ['for my order', 'for this item', 'for the wrong color', 'for a broken item'],
  },
  {
    tick: 'refund',
    route: 'manager',
    heads: ['i want my money back', 'give me my money back', 'i demand a refund', 'i want a full refund'],
    tails: ['now', 'today', 'for this order', 'or i leave', 'right away'],
  },
  {
    route: 'techdesk',
    heads: ['the app', 'the website', 'dark mode', 'the checkout page', 'the search bar', 'the chat widget'],
    tails: ['crashes on start', 'will not load', 'looks broken', 'freezes', 'is blank', 'keeps spinning'],
  },
  {
    route: 'manager',
    heads: ['your staff', 'the driver', 'your agent', 'the support rep'],
    tails: ['was rude to me', 'yelled at me', 'ignored me', 'hung up on me'],
  },
  {
    route: 'manager',
    heads: ['i want to speak to', 'let me talk to', 'connect me to', 'i need to talk to'],
    tails: ['a person', 'a human', 'your boss', 'someone in charge'],
  },
  {
    route: 'manager',
    heads: ['this is my', 'i am filing my', 'here is my'],
    tails: ['third complaint', 'last complaint', 'formal complaint', 'final warning'],
  },
];

/** One phrase of a skill: its text (US spelling), its label and the group it came from. */
export interface TicketPhrase {
  text: string;
  label: string;
  group: number;
}

/** Every phrase a ticket skill uses, group by group, head by head (a fixed order). */
export function phrasesOf(skill: 'TICK' | 'ROUTE'): TicketPhrase[] {
  const out: TicketPhrase[] = [];
  PHRASE_GROUPS.forEach((g, group) => {
    const label = skill === 'TICK' ? g.tick : g.route;
    if (!label) return;
    for (const head of g.heads) for (const tail of g.tails) out.push({ text: `${head} ${tail}`, label, group });
  });
  return out;
}

function byLabel(phrases: TicketPhrase[], labels: readonly string[]): Record<string, readonly string[]> {
  return Object.fromEntries(labels.map((l) => [l, phrases.filter((p) => p.label === l).map((p) => p.text)]));
}

/** TICK: category → phrases (US spelling; the uk cohort rewrites them with UK_SPELLING). */
export const TICK_PHRASES: Record<string, readonly string[]> = byLabel(phrasesOf('TICK'), TICK_LABELS);
/** ROUTE: team → phrases; most are TICK phrases under another label (interference), the rest are ROUTE's own. */
export const ROUTE_PHRASES: Record<string, readonly string[]> = byLabel(phrasesOf('ROUTE'), ROUTE_TEAMS);

/** Values of each wrapper slot. None of them holds a word the uk cohort respells, nor a label-deciding phrase. */
export const TICKET_SLOTS = {
  greet: ['hello', 'hey', 'helo', 'hii', 'hi there', 'yo'],
  please: ['pls help', 'plz help', 'help pls', 'please advise', 'plese help', 'help me'],
  thanks: ['thanks', 'thx', 'thank you', 'thanx', 'ty', 'tnx'],
  name: ['ana', 'ben', 'cleo', 'dev', 'eli', 'fay', 'gus', 'ida', 'jon', 'kai', 'lea', 'max', 'noa', 'omar', 'pia', 'raj'],
  product: ['lamp', 'mug', 'desk', 'chair', 'kettle', 'jacket', 'rug', 'shoes', 'blender', 'tent', 'scarf', 'pillow'],
  channel: ['via chat', 'via email', 'by phone', 'in the app', 'on the site'],
  source: ['chat', 'email', 'phone', 'app', 'web'],
} as const satisfies Record<string, readonly string[]>;

export type TicketSlot = keyof typeof TICKET_SLOTS | 'num' | 'date' | 'amount';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Order and ticket numbers: 100 … 99999. */
export const NUMBER_RANGE: readonly [number, number] = [100, 99_999];
/** Amounts: 1.00 … 499.99. */
export const AMOUNT_RANGE: readonly [number, number] = [100, 49_999];

/** How many values a slot takes, and its longest value. */
export function slotSize(slot: TicketSlot): { count: number; longest: number } {
  if (slot === 'num') return { count: NUMBER_RANGE[1] - NUMBER_RANGE[0] + 1, longest: String(NUMBER_RANGE[1]).length };
  if (slot === 'amount') return { count: AMOUNT_RANGE[1] - AMOUNT_RANGE[0] + 1, longest: amountText(AMOUNT_RANGE[1]).length };
  if (slot === 'date') return { count: MONTHS.length * 28, longest: 'jan 28'.length };
  const values: readonly string[] = TICKET_SLOTS[slot];
  return { count: values.length, longest: Math.max(...values.map((v) => v.length)) };
}

function amountText(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** The text of value `index` (0 ≤ index < slotSize(slot).count) of a slot. */
export function slotValue(slot: TicketSlot, index: number): string {
  if (slot === 'num') return String(NUMBER_RANGE[0] + index);
  if (slot === 'amount') return amountText(AMOUNT_RANGE[0] + index);
  if (slot === 'date') return `${MONTHS[Math.floor(index / 28)]} ${(index % 28) + 1}`;
  return TICKET_SLOTS[slot][index];
}

/** The regular expression of a slot's values (for the solver's parse). */
export function slotPattern(slot: TicketSlot): string {
  if (slot === 'num') return '[1-9]\\d{2,4}';
  if (slot === 'amount') return '[1-9]\\d{0,2}\\.\\d\\d';
  if (slot === 'date') return `(?:${MONTHS.join('|')}) (?:[1-9]|1\\d|2[0-8])`;
  return `(?:${[...TICKET_SLOTS[slot]].sort((a, b) => b.length - a.length).join('|')})`;
}

/**
 * TICK wrappers: the first four are the ones the shipped bases were pretrained on; the rest add slots and a second,
 * label-neutral clause. `{p}` is the phrase.
 */
export const TICK_TEMPLATES: readonly string[] = [
  '{p}',
  'hi, {p}',
  '{p}, please help',
  'help: {p}',
  '{greet}, {p}',
  '{p}, {please}',
  '{p} - order {num}',
  '{greet}, {p}. {name}',
  '{p} since {date}',
  '{p} ({channel})',
  'order {num}: {p}',
  '{p}, {thanks}',
  '{name} here, {p}',
  '{p}. {product}, order {num}',
];

/** ROUTE wrappers: distinct from TICK's so the target skill is a new format as well as new labels. */
export const ROUTE_TEMPLATES: readonly string[] = [
  '{p}',
  're: {p}',
  '{p} asap',
  'urgent - {p}',
  'fwd: {p}',
  're: {p} - {name}',
  '{p} (ticket {num})',
  'urgent - {p}, {thanks}',
  '{source} - {p}',
  '{p} asap, order {num}',
  're: {p} on {date}',
  '{p}. {product} {amount}',
];

/** The longest prompt a ticket skill writes ("ROUTE " + wrapper + "="): it leaves room for any answer and the eval's budget. */
export const MAX_TICKET_PROMPT = 50;

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
