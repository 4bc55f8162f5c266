/** The 2-D generators behind `builtin:xor`, `builtin:circle`, … */
import { circle } from './circle';
import { gauss } from './gauss';
import { moons } from './moons';
import type { Generator } from './options';
import { spiral } from './spiral';
import { xor } from './xor';

export type { Generator, GeneratorOptions } from './options';
export { circle, gauss, moons, spiral, xor };

export const GENERATORS = { xor, circle, gauss, spiral, moons } satisfies Record<string, Generator>;

export type GeneratorName = keyof typeof GENERATORS;
