// The .zip a browser downloads for a PyTorch training folder: Python's zipfile reads it (names,
// contents, CRCs), the same files give the same bytes, and bad names are refused.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, writeZip } from '../../../core/io/zip';
import { tempDir } from '../cli/run-bin';

const tmp = tempDir('backprop-lab-zip-');
afterAll(() => tmp.cleanup());

const READ = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps([[i.filename, i.compress_type, list(z.read(i.filename))] for i in z.infolist()]))
`;

describe('writeZip', () => {
  it('makes an archive Python’s zipfile reads back, folders and UTF-8 names included', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    const zip = writeZip([
      { name: 'net-pytorch/train.py', data: 'print("hi")\n' },
      { name: 'net-pytorch/data.safetensors', data: bytes },
      { name: 'net-pytorch/empty', data: '' },
      { name: 'net-pytorch/grüße.txt', data: 'δ' },
    ]);
    const file = tmp.file('a.zip', zip);
    const r = spawnSync('/usr/bin/python3', ['-c', READ, file], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status, r.stderr).toBe(0);
    const entries = JSON.parse(r.stdout) as [string, number, number[]][];
    expect(entries.map((e) => e[0])).toEqual([
      'net-pytorch/train.py',
      'net-pytorch/data.safetensors',
      'net-pytorch/empty',
      'net-pytorch/grüße.txt',
    ]);
    expect(entries.every((e) => e[1] === 0)).toBe(true);
    expect(new TextDecoder().decode(new Uint8Array(entries[0][2]))).toBe('print("hi")\n');
    expect(entries[1][2]).toEqual(Array.from(bytes));
    expect(entries[2][2]).toEqual([]);
    expect(new TextDecoder().decode(new Uint8Array(entries[3][2]))).toBe('δ');
  });

  it('gives the same bytes for the same files', () => {
    const files = [{ name: 'a/b.txt', data: 'x' }];
    expect(writeZip(files)).toEqual(writeZip(files));
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('refuses names that would leave the folder, and a name given twice', () => {
    expect(() => writeZip([{ name: '../x', data: '' }])).toThrow('cannot be named "../x"');
    expect(() => writeZip([{ name: '/x', data: '' }])).toThrow('cannot be named');
    expect(() =>
      writeZip([
        { name: 'a', data: '' },
        { name: 'a', data: '' },
      ]),
    ).toThrow('the zip has a twice');
  });
});
