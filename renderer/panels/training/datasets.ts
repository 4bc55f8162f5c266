// The data sets the picker offers, with what a person needs to know to wire a network to them.

export interface BuiltinDataset {
  name: string;
  label: string;
  /** Generators take samples and noise; the real data sets are fixed. */
  generator: boolean;
  /** "2 features → 2 classes": what the Input and the output must fit. */
  shape: string;
  features: number;
}

export const BUILTIN_DATASETS: readonly BuiltinDataset[] = [
  {
    name: 'xor',
    label: 'XOR',
    generator: true,
    shape: '2 features → 2 classes (0/1)',
    features: 2,
  },
  {
    name: 'circle',
    label: 'Circle',
    generator: true,
    shape: '2 features → 2 classes (0/1)',
    features: 2,
  },
  {
    name: 'gauss',
    label: 'Gaussian blobs',
    generator: true,
    shape: '2 features → 2 classes (0/1)',
    features: 2,
  },
  {
    name: 'spiral',
    label: 'Spiral',
    generator: true,
    shape: '2 features → 2 classes (0/1)',
    features: 2,
  },
  {
    name: 'moons',
    label: 'Moons',
    generator: true,
    shape: '2 features → 2 classes (0/1)',
    features: 2,
  },
  {
    name: 'iris',
    label: 'Iris',
    generator: false,
    shape: '4 features → 3 species (150 flowers)',
    features: 4,
  },
  {
    name: 'digits',
    label: 'Digits (8×8)',
    generator: false,
    shape: '64 pixels → 10 digits (1797 images)',
    features: 64,
  },
];

export function builtinDataset(source: string | undefined): BuiltinDataset | undefined {
  const name = source?.startsWith('builtin:') ? source.slice('builtin:'.length) : undefined;
  return BUILTIN_DATASETS.find((d) => d.name === name);
}

/** Defaults the engine uses when a field is left out (core/data/builtin BUILTIN_DEFAULTS). */
export const DATA_DEFAULTS = { samples: 200, noise: 0.1, testFraction: 0.2 } as const;
