import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  placeWindow,
  readWindowState,
  writeWindowState,
} from '../../../../electron/main/window-state';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('saving and reading the window state', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-window-state-'));
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips through a JSON file', async () => {
    const file = join(dir, 'window-state.json');
    writeWindowState(file, { x: 5, y: 6, width: 1100, height: 700, maximized: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      x: 5,
      y: 6,
      width: 1100,
      height: 700,
      maximized: true,
    });
    expect(readWindowState(file)).toEqual({
      x: 5,
      y: 6,
      width: 1100,
      height: 700,
      maximized: true,
    });
  });

  it('has nothing to restore on the first start or from a damaged file', async () => {
    expect(readWindowState(join(dir, 'none.json'))).toBeNull();
    await writeFile(join(dir, 'bad.json'), '{ "width": "wide"');
    expect(readWindowState(join(dir, 'bad.json'))).toBeNull();
    await writeFile(join(dir, 'neg.json'), '{ "width": -3, "height": 10 }');
    expect(readWindowState(join(dir, 'neg.json'))).toBeNull();
  });
});

describe('placing the window', () => {
  it('opens at the default size, centered by the OS, the first time', () => {
    expect(placeWindow(null, [primary], primary)).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it('restores a place that is fully visible as it was', () => {
    const saved = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    expect(placeWindow(saved, [primary], primary)).toEqual(saved);
  });

  it('keeps a window on the second display there', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 700, maximized: true };
    expect(placeWindow(saved, [primary, right], primary)).toEqual(saved);
  });

  it('moves a window hanging off the edge back inside the display it overlaps most', () => {
    const saved = { x: 1500, y: -40, width: 1000, height: 700, maximized: false };
    expect(placeWindow(saved, [primary], primary)).toEqual({
      x: 920,
      y: 0,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('centers the window on the primary display when its display is gone', () => {
    const saved = { x: 4000, y: 100, width: 1000, height: 700, maximized: false };
    expect(placeWindow(saved, [primary], primary)).toEqual({
      x: 460,
      y: 170,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('shrinks a window larger than its display, but not below the minimum size', () => {
    const small = { x: 0, y: 0, width: 1366, height: 728 };
    const big = { x: 0, y: 0, width: 3000, height: 2000, maximized: false };
    expect(placeWindow(big, [small], small)).toEqual({
      x: 0,
      y: 0,
      width: 1366,
      height: 728,
      maximized: false,
    });
    const tiny = { x: 10, y: 10, width: 200, height: 100, maximized: false };
    const placed = placeWindow(tiny, [primary], primary);
    expect([placed.width, placed.height]).toEqual([MIN_SIZE.width, MIN_SIZE.height]);
  });

  it('centers a saved size with no saved place', () => {
    const saved = { width: 1000, height: 600, maximized: false };
    expect(placeWindow(saved, [primary], primary)).toMatchObject({ x: 460, y: 220 });
  });
});
