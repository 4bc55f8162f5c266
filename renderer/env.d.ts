/// <reference types="vite/client" />
import type { LabBridge } from '../electron/ipc/channels';

declare global {
  interface Window {
    /** Electron's preload bridge; absent in a browser. */
    lab?: LabBridge;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
