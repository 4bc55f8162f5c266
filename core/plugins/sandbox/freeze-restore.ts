// Evaluated right after 'ses' (see freeze-for-v8.ts).
import { restoreFreeze } from './freeze-for-v8';

restoreFreeze();
