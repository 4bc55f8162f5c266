import { join } from 'node:path';

/** Where the app finds its pages, its preload and its plugins, and where it keeps user files. */
export interface AppPaths {
  /** The built renderer (out/renderer); its index.html is the app's only page. */
  rendererDir: string;
  rendererIndex: string;
  /** The CommonJS preload (out/preload/index.cjs): sandboxed preloads cannot be ES modules. */
  preload: string;
  /** electron-vite's dev server (`electron-vite dev`); null when the built pages are loaded. */
  devServerUrl: string | null;
  /** Plugins shipped with the app: resources/plugins when packaged, the repo's plugins/ otherwise. */
  shippedPlugins: string;
  userData: string;
  /** The user's own plugins, watched for changes. */
  userPlugins: string;
}

export interface PathInputs {
  /** The folder of the built main script (out/main). */
  mainDir: string;
  isPackaged: boolean;
  resourcesPath: string;
  userData: string;
  env: Record<string, string | undefined>;
}

export function resolveAppPaths(o: PathInputs): AppPaths {
  const rendererDir = join(o.mainDir, '..', 'renderer');
  // The dev server is trusted only in an unpackaged app: a packaged app always loads its own files.
  const devServerUrl =
    !o.isPackaged && o.env.ELECTRON_RENDERER_URL ? o.env.ELECTRON_RENDERER_URL : null;
  return {
    rendererDir,
    rendererIndex: join(rendererDir, 'index.html'),
    preload: join(o.mainDir, '..', 'preload', 'index.cjs'),
    devServerUrl,
    // Unpackaged, out/main sits two levels below the repo, however Electron was started.
    shippedPlugins: o.isPackaged
      ? join(o.resourcesPath, 'plugins')
      : join(o.mainDir, '..', '..', 'plugins'),
    userData: o.userData,
    userPlugins: join(o.userData, 'plugins'),
  };
}
