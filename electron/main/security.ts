// The app shows only its own pages: a strict CSP, cross-origin isolation headers, no navigation,
// no new windows or webviews, no permissions. Applied to every web contents the app creates.
import type { Session, WebContents } from 'electron';
import { PAGE_POLICY, policyForContentType } from '../../renderer/security/content-security-policy';
import { log } from './log';

/** The page's policy (renderer/security/content-security-policy.ts; scripts get the workers'). */
export const CONTENT_SECURITY_POLICY = PAGE_POLICY;

/**
 * Headers of every response for the app's own files: the app:// handler sends them, and the dev
 * server's responses get them in `installAppHeaders`. The Content-Security-Policy is the page's,
 * or the workers' for JavaScript (a worker runs under the policy of its own script). COOP and
 * COEP make the page cross-origin isolated, so SharedArrayBuffer can be used; CORP lets the page
 * embed its own files under COEP.
 */
export function appResponseHeaders(contentType: string | null): Record<string, string> {
  return {
    'Content-Security-Policy': policyForContentType(contentType),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
}

const APP_HEADER_NAMES = Object.keys(appResponseHeaders(null)).map((n) => n.toLowerCase());

export type AppUrlCheck = (url: string) => boolean;

export interface AppOrigins {
  /** Where the built pages are served (app://backprop-lab, see app-protocol.ts). */
  appOrigin: string;
  /** electron-vite's dev server, trusted by its origin; null when there is none. */
  devServerUrl: string | null;
}

/**
 * True for the app's own pages and files: URLs of the app origin (same scheme and host, no
 * credentials, no port), or of the dev server's origin. file:// URLs are refused, even inside
 * the built renderer: the app does not load them any more.
 */
export function createAppUrlCheck({ appOrigin, devServerUrl }: AppOrigins): AppUrlCheck {
  // app: is not a special scheme for the WHATWG URL parser: its URL.origin is "null", so the
  // scheme and host are compared instead.
  const app = new URL(appOrigin);
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol === app.protocol) {
      return url.host === app.host && url.username === '' && url.password === '';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return devOrigin !== null && url.origin === devOrigin;
  };
}

/** Response headers with the app's headers replacing any of the same name (any case). */
export function withAppHeaders(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let contentType: string | null = null;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-type') contentType = value.join(', ');
    if (!APP_HEADER_NAMES.includes(name.toLowerCase())) out[name] = value;
  }
  for (const [name, value] of Object.entries(appResponseHeaders(contentType))) out[name] = [value];
  return out;
}

type HeaderSession = Pick<Session, 'webRequest'>;

/**
 * Adds the CSP and isolation headers to the dev server's responses (http: or https: URLs the
 * check accepts); others pass unchanged. app:// responses carry the headers already (the
 * protocol handler sets them), so they are left alone here whether or not Electron reports them.
 */
export function installAppHeaders(session: HeaderSession, isAppUrl: AppUrlCheck): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!/^https?:/i.test(details.url) || !isAppUrl(details.url)) {
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
