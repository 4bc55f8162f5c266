import type { TrainingHistory } from '../../stores/training';

/** One curve of a history chart: which history array, its name and colour. */
export interface Series {
  key: Exclude<keyof TrainingHistory, 'epochs'>;
  label: string;
  color: string;
  dashed?: boolean;
}
