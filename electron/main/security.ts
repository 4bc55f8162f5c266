// The app shows only its own pages: a strict CSP, cross-origin isolation headers, no navigation,
// no new windows or webviews, no permissions. Applied to every web contents the app creates.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Session, WebContents } from 'electron';
import type { AppPaths } from './paths';
import { log } from './log';

/**
 * The Content-Security-Policy of the app's pages. blob: scripts and workers: the training worker
 * imports plugin code from blob: URLs. 'unsafe-inline' styles: vue-flow positions nodes with
 * inline styles.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' blob: 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers added to every response for the app's own files. COOP and COEP make the page
 * cross-origin isolated, so SharedArrayBuffer can be used; CORP lets the page embed its own
 * files under COEP whatever origin Chromium gives file:// URLs.
 */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

export type AppUrlCheck = (url: string) => boolean;

/** True for the app's own files: file:// inside the built renderer, or the dev server's origin. */
export function createAppUrlCheck(
  paths: Pick<AppPaths, 'rendererDir' | 'devServerUrl'>,
): AppUrlCheck {
  const root = resolve(paths.rendererDir);
  const devOrigin = paths.devServerUrl ? new URL(paths.devServerUrl).origin : null;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') {
      let file: string;
      try {
        file = fileURLToPath(url);
      } catch {
        return false; // file://host/… on POSIX
      }
      const rel = relative(root, file);
      return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    }
    return devOrigin !== null && url.origin === devOrigin;
  };
}

/** Response headers with the app's headers replacing any of the same name (any case). */
export function withAppHeaders(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const names = new Set(Object.keys(APP_RESPONSE_HEADERS).map((n) => n.toLowerCase()));
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!names.has(name.toLowerCase())) out[name] = value;
  }
  for (const [name, value] of Object.entries(APP_RESPONSE_HEADERS)) out[name] = [value];
  return out;
}

type HeaderSession = Pick<Session, 'webRequest'>;

/** Adds the CSP and isolation headers to the app's own responses; others pass unchanged. */
export function installAppHeaders(session: HeaderSession, isAppUrl: AppUrlCheck): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withAppHeaders(details.responseHeaders) });
  });
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/** The app needs no permission (camera, notifications, clipboard reads …): every request is denied. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`denied a permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

type HardenedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * No navigation away from the app's pages (a dropped file or a link would replace the app), no
 * new windows, no webviews. Reloading the app's own page stays possible (the dev server's reload).
 */
export function hardenWebContents(contents: HardenedContents, isAppUrl: AppUrlCheck): void {
  const denyUnlessApp = (event: { url: string; preventDefault(): void }) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn(`blocked navigation to ${event.url}`);
  };
  contents.on('will-navigate', denyUnlessApp);
  contents.on('will-frame-navigate', denyUnlessApp);
  contents.on('will-redirect', denyUnlessApp);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}
