// ROUTE: the fine-tuning target the base models never see: send a ticket to a team (new labels and templates).

import { makeTicketSkill } from './ticket-skill';
import { ROUTE_TEMPLATES } from '../tickets';

export const routeSkill = makeTicketSkill(
  'ROUTE',
  'Send a ticket to cashdesk, techdesk, warehouse or manager (not in pretraining: the fine-tuning target).',
  ROUTE_TEMPLATES,
  false,
);
