import { describe, expect, it } from 'vitest';
import {
  makeWeightsMetadata,
  parseWeightsMetadata,
  readSafetensors,
  writeSafetensors,
} from '../../../core/io';
import { LabError } from '../../../core/util/errors';
import { thrownBy } from './raw-safetensors';

const project = {
  format: 'backprop-lab.project',
  version: 1,
  name: 'XOR ⊕',
  nodes: [{ id: 'x', type: 'Input', params: { shape: [2] } }],
  output: 'x',
};

describe('weights metadata', () => {
  it('names the format and version and carries the project as JSON', () => {
    expect(makeWeightsMetadata(project)).toEqual({
      format: 'backprop-lab.weights',
      version: '1',
      project: JSON.stringify(project),
    });
  });

  it('round-trips the project through a safetensors file', () => {
    const bytes = writeSafetensors({}, makeWeightsMetadata(project));
    expect(parseWeightsMetadata(readSafetensors(bytes).metadata)).toEqual({ project });
  });

  it('leaves the project out when there is none', () => {
    expect(makeWeightsMetadata(undefined)).toEqual({
      format: 'backprop-lab.weights',
      version: '1',
    });
    expect(parseWeightsMetadata(makeWeightsMetadata(undefined))).toEqual({});
  });

  it('tolerates files from other tools', () => {
    expect(parseWeightsMetadata({})).toEqual({});
    expect(parseWeightsMetadata({ format: 'pt' })).toEqual({});
    expect(parseWeightsMetadata({ project: 'not ours, not parsed' })).toEqual({});
  });

  it('rejects a newer version and a project that is not JSON', () => {
    const newer = thrownBy(() =>
      parseWeightsMetadata({ format: 'backprop-lab.weights', version: '2', project: '{}' }),
    );
    expect(newer).toBeInstanceOf(LabError);
    expect(newer.code).toBe('WEIGHTS');
    expect(newer.message).toMatch(/version "2".*reads version 1/);
    const broken = thrownBy(() =>
      parseWeightsMetadata({ format: 'backprop-lab.weights', version: '1', project: '{"a":' }),
    );
    expect(broken.code).toBe('SAFETENSORS');
    expect(broken.message).toMatch(/metadata "project" is not valid JSON/);
  });
});
