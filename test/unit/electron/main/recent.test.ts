import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_RECENT, RecentProjects } from '../../../../electron/main/recent';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-recent-'));
  file = join(dir, 'recent-projects.json');
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('recent projects', () => {
  it('starts empty', () => {
    expect(RecentProjects.load(file).list()).toEqual([]);
  });

  it('keeps the most recent first and moves a reopened project up', () => {
    const r = RecentProjects.load(file);
    r.add('/p/a.json');
    r.add('/p/b.json');
    r.add('/p/c.json');
    r.add('/p/a.json');
    expect(r.list()).toEqual(['/p/a.json', '/p/c.json', '/p/b.json']);
  });

  it(`keeps at most ${MAX_RECENT}`, () => {
    const r = RecentProjects.load(file);
    for (let i = 0; i < 15; i++) r.add(`/p/${i}.json`);
    expect(r.list()).toHaveLength(MAX_RECENT);
    expect(r.list()[0]).toBe('/p/14.json');
    expect(r.list()[MAX_RECENT - 1]).toBe('/p/5.json');
  });

  it('survives a restart', async () => {
    const r = RecentProjects.load(file);
    r.add('/p/a.json');
    r.add('/p/b.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(['/p/b.json', '/p/a.json']);
    expect(RecentProjects.load(file).list()).toEqual(['/p/b.json', '/p/a.json']);
  });

  it('removes and clears', () => {
    const r = RecentProjects.load(file);
    r.add('/p/a.json');
    r.add('/p/b.json');
    r.remove('/p/a.json');
    expect(r.list()).toEqual(['/p/b.json']);
    expect(r.has('/p/b.json')).toBe(true);
    r.clear();
    expect(r.list()).toEqual([]);
    expect(RecentProjects.load(file).list()).toEqual([]);
  });

  it('tells listeners about every change', () => {
    const r = RecentProjects.load(file);
    const listener = vi.fn();
    r.onChange(listener);
    r.add('/p/a.json');
    r.clear();
    expect(listener.mock.calls).toEqual([[['/p/a.json']], [[]]]);
  });

  it('ignores a damaged file', async () => {
    await writeFile(file, '{"not": "a list"}');
    expect(RecentProjects.load(file).list()).toEqual([]);
    await writeFile(file, 'nonsense');
    expect(RecentProjects.load(file).list()).toEqual([]);
  });
});
