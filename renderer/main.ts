// The renderer's entry: the host (Electron or browser), the training worker, the stores, the app.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { z } from 'zod';
import './styles/theme.css';
import './styles/base.css';
import './styles/banners.css';
import App from './App.vue';
import { createHost } from './host';
import { runCommand } from './stores/commands';
import { useGraphStore } from './stores/graph';
import { usePluginsStore } from './stores/plugins';
import { useProjectStore } from './stores/project';
import { setServices } from './stores/services';
import { useSettingsStore } from './stores/settings';
import { WorkerClient } from './worker/client';
import { localHungMemory } from './worker/hung-plugins';

// No code generation: the Content-Security-Policy has no 'unsafe-eval'.
z.config({ jitless: true });

const host = createHost();
// Files that hung while loading stay out at the next start (until they change): no start waits.
setServices({ host, worker: new WorkerClient({ hungPlugins: localHungMemory }) });

const app = createApp(App);
app.use(createPinia());
useGraphStore();
// Before the plugins load: their load-time limit is the step limit.
useSettingsStore();
void usePluginsStore().init();
void useProjectStore().init();
host.onMenuCommand((command) => void runCommand(command));
host.onOpenRecent((path) => void useProjectStore().openRecent(path));
// Mounting is a task of its own: loading the modules above is one, and the page's first
// long task is split in two (each well under 50 ms of CPU).
setTimeout(() => app.mount('#app'));
