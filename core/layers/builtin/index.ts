// The built-in layers. Each module default-exports one layer definition, exactly as a plugin
// does, and is registered from this list, in palette order, through the same checks as a
// plugin's definitions. Adding a layer: docs/adding-a-layer.md.
import { definitionsFromModule } from '../../plugins/validate';
import type { LayerDefinition } from '../contract';
import * as add from './add';
import * as concat from './concat';
import * as dense from './dense';
import * as dropout from './dropout';
import * as gelu from './gelu';
import * as input from './input';
import * as leakyRelu from './leaky-relu';
import * as relu from './relu';
import * as sigmoid from './sigmoid';
import * as softmax from './softmax';
import * as tanh from './tanh';

const MODULES: { default: LayerDefinition }[] = [
  input,
  dense,
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  softmax,
  gelu,
  add,
  concat,
  dropout,
];

/** Every built-in definition, in palette order. */
export const BUILTIN_DEFINITIONS: readonly LayerDefinition[] = MODULES.flatMap((m) =>
  definitionsFromModule(m, 'builtin', { builtin: true }),
);

/** The built-in layers by type. */
export const BUILTIN_LAYERS: Readonly<Record<string, LayerDefinition>> = Object.fromEntries(
  BUILTIN_DEFINITIONS.map((d) => [d.type, d]),
);

export const BUILTIN_LAYER_TYPES: readonly string[] = BUILTIN_DEFINITIONS.map((d) => d.type);
