// What the built-in activations share: the output has the input's shape, one value per unit.
import type { BuildArgs, BuildResult } from '../contract';

export const sameShape = ({ inShapes }: BuildArgs): BuildResult => ({
  outShape: inShapes[0].slice(),
});
