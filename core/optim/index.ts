import type { OptimizerConfig } from '../graph/schema';
import type { Tensor } from '../tensor/tensor';
import { Adam } from './adam';
import type { Optimizer } from './optimizer';
import { Sgd } from './sgd';

/** The optimizer a project's `training.optimizer` names, over the given weights. */
export function createOptimizer(config: OptimizerConfig, params: readonly Tensor[]): Optimizer {
  switch (config.type) {
    case 'sgd':
      return new Sgd(params, config);
    case 'adam':
      return new Adam(params, config);
  }
}

export { Adam, Sgd, type Optimizer };
