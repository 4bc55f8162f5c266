// Chart.js with only the parts the charts use (line charts on linear and log scales, tooltips),
// so the rest of the library stays out of the bundle.
import {
  Chart,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';

let registered = false;

export function chartJs(): typeof Chart {
  if (!registered) {
    Chart.register(
      LineController,
      LineElement,
      PointElement,
      LinearScale,
      LogarithmicScale,
      Tooltip,
    );
    Chart.defaults.font.family =
      getComputedStyle(document.documentElement).getPropertyValue('--font').trim() ||
      'system-ui, sans-serif';
    Chart.defaults.font.size = 11;
    Chart.defaults.color = '#667085';
    registered = true;
  }
  return Chart;
}

/** A CSS variable's value, with a fallback for a page without the theme (tests). */
export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}
