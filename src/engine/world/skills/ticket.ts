// TICK: route a support ticket to one of four categories, e.g. "TICK hi, my package is late=" → "shipping".

import { makeTicketSkill } from './ticket-skill';
import { TICK_TEMPLATES } from '../tickets';

export const ticketSkill = makeTicketSkill('TICK', 'Classify a support ticket as billing, login, shipping or refund.', TICK_TEMPLATES, true);
