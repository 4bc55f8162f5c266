// The app's pages are served from app://backprop-lab/, not file://. A privileged standard scheme
// gives the page a real origin, and its responses carry COOP and COEP, so the page and its
// workers are cross-origin isolated (SharedArrayBuffer, shared WebAssembly memory). file:// pages
// cannot be: Chromium has no response headers for them and Electron puts them in one "universal
// file access" agent cluster.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Protocol, Session } from 'electron';
import { log } from './log';
import { appResponseHeaders } from './security';

export const APP_SCHEME = 'app';
export const APP_HOST = 'backprop-lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const appPageUrl = `${APP_ORIGIN}/index.html`;

/**
 * Registers app:// as a standard, secure scheme (relative URLs, a real origin, a secure context,
 * storage, module scripts and workers, fetch with CORS). Not bypassCSP: the app's CSP applies to
 * its own scheme. Electron honours only the first call, and only before the app is ready.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        codeCache: true,
      },
    },
  ]);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a file of the built renderer, by its extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The headers of every app:// response, errors included. */
function appHeaders(contentType: string, extra: Record<string, string> = {}): Headers {
  return new Headers({
    ...appResponseHeaders(contentType),
    'X-Content-Type-Options': 'nosniff',
    'Content-Type': contentType,
    ...extra,
  });
}

function textResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: appHeaders('text/plain; charset=utf-8', extra),
  });
}

/** The parts of a fetch Request the handler reads. */
export interface AppRequest {
  url: string;
  method: string;
}

/**
 * The file of the renderer folder a URL names, or why it is refused. Only app://backprop-lab/
 * without credentials or port; no encoded slashes or backslashes, no NUL, no `.` or `..`
 * segment and no absolute path, before or after decoding.
 */
export function resolveAppFile(
  rendererDir: string,
  rawUrl: string,
): { file: string } | { refused: string } {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { refused: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { refused: 'not the app origin' };
  }
  if (url.username !== '' || url.password !== '') return { refused: 'credentials in the URL' };
  const raw = url.pathname;
  if (/%(2f|5c|00)/i.test(raw) || raw.includes('\\')) {
    return { refused: 'an encoded slash, a backslash or NUL in the path' };
  }
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { refused: 'a malformed escape in the path' };
  }
  if (path.includes('\0') || path.includes('\\')) return { refused: 'NUL or a backslash' };
  const rel = path.replace(/^\//, '') || 'index.html';
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return { refused: 'an absolute path' };
  if (rel.split('/').some((s) => s === '.' || s === '..')) return { refused: 'a dot segment' };
  const root = resolve(rendererDir);
  const file = resolve(root, rel);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return { refused: 'outside the renderer folder' };
  }
  return { file };
}

/**
 * Answers one app:// request from the renderer folder: GET and HEAD only, the file's bytes with
 * its Content-Type and the app's headers (CSP, the workers' one for JavaScript; COOP, COEP,
 * CORP, nosniff), or a short text error
 * with the same headers. Needs no Electron (Response and Headers are Node globals).
 */
export async function serveAppRequest(rendererDir: string, request: AppRequest): Promise<Response> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    log.warn(`refused ${request.method} ${request.url}: only GET and HEAD`);
    return textResponse(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  }
  const target = resolveAppFile(rendererDir, request.url);
  if ('refused' in target) {
    log.warn(`refused ${request.url}: ${target.refused}`);
    return textResponse(403, 'Forbidden');
  }
  let body: Buffer;
  try {
    const info = await stat(target.file);
    if (!info.isFile()) return textResponse(404, 'Not found');
    body = await readFile(target.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      log.warn(`not found: ${request.url}`);
      return textResponse(404, 'Not found');
    }
    log.error(`could not read ${target.file}`, e);
    return textResponse(500, 'Could not read the file');
  }
  const headers = appHeaders(contentTypeOf(target.file), {
    'Content-Length': String(body.byteLength),
  });
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

/** Serves app:// on the session from the built renderer folder (after the app is ready). */
export function installAppProtocol(session: Pick<Session, 'protocol'>, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
}
