// Which half of the Experiments page is shown: the Tiny World presets, or "Your data" (the learning curve), from the link.
import { isCurveView } from '../../engine/experiments/curve/url-state';
import { currentQuery } from '../experiments/url';

export class ExperimentsView {
  yourData = $state(isCurveView(currentQuery()));
}
