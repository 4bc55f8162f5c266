// The window's size and place, remembered between runs in a JSON file in the user data folder
// and put back on a display that is still there.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomicSync } from './fs-util';
import { log } from './log';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** Where the window opens; no x and y means "centered by the OS". */
export interface WindowPlacement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 800, height: 560 };

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});

/** The saved state, or null when there is none or it is damaged. */
export function readWindowState(file: string): SavedWindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn(`ignored an unreadable window-state file: ${file}`);
    }
    return null;
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    log.warn(`ignored a damaged window-state file: ${file}`);
    return null;
  }
  return parsed.data;
}

export function writeWindowState(file: string, state: SavedWindowState): void {
  try {
    writeFileAtomicSync(file, `${JSON.stringify(state, null, 2)}\n`);
  } catch (e) {
    log.error(`could not save the window state to ${file}`, e);
  }
}

/**
 * Where to open the window: the saved place, moved and shrunk as needed to lie inside the work
 * area of the display it overlaps most, or centered on the primary display when it overlaps
 * none (a monitor that was unplugged).
 */
export function placeWindow(
  saved: SavedWindowState | null,
  workAreas: Rect[],
  primary: Rect,
): WindowPlacement {
  if (!saved) {
    return {
      width: Math.min(DEFAULT_SIZE.width, primary.width),
      height: Math.min(DEFAULT_SIZE.height, primary.height),
      maximized: false,
    };
  }
  const hasPlace = saved.x !== undefined && saved.y !== undefined;
  const rect: Rect = { x: saved.x ?? 0, y: saved.y ?? 0, width: saved.width, height: saved.height };
  let target = primary;
  let best = 0;
  if (hasPlace) {
    for (const area of workAreas) {
      const overlap = intersectionArea(rect, area);
      if (overlap > best) {
        best = overlap;
        target = area;
      }
    }
  }
  const width = clamp(saved.width, Math.min(MIN_SIZE.width, target.width), target.width);
  const height = clamp(saved.height, Math.min(MIN_SIZE.height, target.height), target.height);
  if (!hasPlace || best === 0) {
    return {
      x: target.x + Math.round((target.width - width) / 2),
      y: target.y + Math.round((target.height - height) / 2),
      width,
      height,
      maximized: saved.maximized,
    };
  }
  return {
    x: clamp(rect.x, target.x, target.x + target.width - width),
    y: clamp(rect.y, target.y, target.y + target.height - height),
    width,
    height,
    maximized: saved.maximized,
  };
}

function intersectionArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
