export type { GradFn, BackwardRule } from './grad-fn';
export { backward, backwardMany, type BackwardOptions } from './backward';
export { autogradState, noGrad, withGrad, inNode } from './state';
export { record, tracking, needsOf } from './record';
