import { describe, expect, it } from 'vitest';
import { matchWeights, type NamedTensors } from '../../../core/io';
import { LabError } from '../../../core/util/errors';
import { thrownBy } from './raw-safetensors';

const tensor = (shape: number[]) => ({
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

const expected = {
  'fc1.weight': [8, 2],
  'fc1.bias': [8],
  'fc2.weight': [1, 8],
  'fc2.bias': [1],
  'w1.a': [],
};

describe('matchWeights', () => {
  it('accepts weights with exactly the expected names and shapes, in any order', () => {
    const given: NamedTensors = {
      'w1.a': tensor([]),
      'fc2.bias': tensor([1]),
      'fc2.weight': tensor([1, 8]),
      'fc1.bias': tensor([8]),
      'fc1.weight': tensor([8, 2]),
    };
    expect(() => matchWeights(expected, given)).not.toThrow();
    expect(() => matchWeights({}, {})).not.toThrow();
  });

  it('lists every missing tensor, extra tensor and shape mismatch at once', () => {
    const given: NamedTensors = {
      'fc1.weight': tensor([8, 3]),
      'fc1.bias': tensor([8]),
      'fc2.weight': tensor([8]),
      'w1.a': tensor([1]),
      'fc3.weight': tensor([4, 4]),
      'fc3.bias': tensor([4]),
    };
    const error = thrownBy(() => matchWeights(expected, given));
    expect(error).toBeInstanceOf(LabError);
    expect(error.code).toBe('WEIGHTS');
    expect(error.message).toBe(
      'weights do not match the network: 1 missing tensor, 2 extra tensors, 3 shape mismatches',
    );
    expect(error.problems).toEqual([
      'fc1.weight: expected shape [8, 2], file has [8, 3]',
      'fc2.weight: expected shape [1, 8], file has [8]',
      'fc2.bias: missing from the file (expected shape [1])',
      'w1.a: expected shape [], file has [1]',
      'fc3.weight: in the file but not in the network (shape [4, 4])',
      'fc3.bias: in the file but not in the network (shape [4])',
    ]);
  });

  it('counts only the kinds of problem there are', () => {
    const missing = thrownBy(() => matchWeights(expected, {}));
    expect(missing.message).toBe('weights do not match the network: 5 missing tensors');
    expect(missing.problems).toHaveLength(5);
    const extra = thrownBy(() => matchWeights({}, { x: tensor([2]) }));
    expect(extra.message).toBe('weights do not match the network: 1 extra tensor');
    expect(extra.problems).toEqual(['x: in the file but not in the network (shape [2])']);
  });

  it('refuses NaN and ±Infinity, naming the tensor, the first place and how many', () => {
    const w: NamedTensors = {
      'fc1.weight': tensor([8, 2]),
      'fc1.bias': tensor([8]),
      'fc2.weight': tensor([1, 8]),
      'fc2.bias': tensor([1]),
      'w1.a': tensor([]),
    };
    w['fc1.weight'].data[5] = Number.NEGATIVE_INFINITY;
    w['fc1.weight'].data[9] = Number.NaN;
    w['w1.a'].data[0] = Number.NaN;
    // The largest float32 and the smallest subnormal are finite, and fine.
    w['fc1.bias'].data.set([3.4028234663852886e38, -3.4028234663852886e38, 1.4e-45]);
    const error = thrownBy(() => matchWeights(expected, w));
    expect(error.code).toBe('WEIGHTS');
    expect(error.problems).toEqual([
      'fc1.weight: holds -Infinity at [2, 1] (2 values in all are not finite)',
      'w1.a: holds NaN at []',
    ]);
    expect(error.message).toMatch(
      /^the weights are not all finite numbers: fc1\.weight: holds -Infinity/,
    );
    w['fc2.bias'] = tensor([3]);
    expect(thrownBy(() => matchWeights(expected, w)).message).toBe(
      'weights do not match the network: 1 shape mismatch, 2 tensors not finite',
    );
  });

  it('does not mistake names like "constructor" for inherited properties', () => {
    const error = thrownBy(() => matchWeights({ constructor: [1] }, { toString: tensor([1]) }));
    expect(error.problems).toEqual([
      'constructor: missing from the file (expected shape [1])',
      'toString: in the file but not in the network (shape [1])',
    ]);
  });
});
