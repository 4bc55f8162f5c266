// The plugins shipped in plugins/, bundled as text for the web host (Electron lists the app's
// plugin folder instead).
import type { PluginSource } from '../../electron/ipc/channels';

const files = import.meta.glob(
  ['../../plugins/*.js', '../../plugins/*.ts', '!../../plugins/*.d.ts'],
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
) as Record<string, string>;

export const SHIPPED_PLUGINS: PluginSource[] = Object.entries(files)
  .map(([path, source]) => ({
    file: `app:${path.slice(path.lastIndexOf('/') + 1)}`,
    origin: 'app' as const,
    source,
  }))
  .sort((a, b) => (a.file < b.file ? -1 : 1));
