import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APP_RESPONSE_HEADERS,
  CONTENT_SECURITY_POLICY,
  createAppUrlCheck,
  denyAllPermissions,
  hardenWebContents,
  installAppHeaders,
  withAppHeaders,
} from '../../../../electron/main/security';
import { FakeSession, FakeWebContents, fakeEvent, resetElectron } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

const rendererDir = '/app/out/renderer';
const page = pathToFileURL(`${rendererDir}/index.html`).href;
const fileCheck = createAppUrlCheck({ rendererDir, devServerUrl: null });
const devCheck = createAppUrlCheck({ rendererDir, devServerUrl: 'http://localhost:5173' });

beforeEach(() => {
  resetElectron();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('the Content-Security-Policy', () => {
  it('is the strict policy the renderer copies into its <meta> tag', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self' blob: 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    // Compiling the SIMD kernel's WebAssembly is allowed; evaluating strings as JavaScript is not.
    expect(CONTENT_SECURITY_POLICY.replace(/'wasm-unsafe-eval'/g, '')).not.toContain('unsafe-eval');
  });
});

describe('the app URL check', () => {
  it("accepts the built renderer's files and nothing else on disk", () => {
    expect(fileCheck(page)).toBe(true);
    expect(fileCheck(`${page}#/train`)).toBe(true);
    expect(fileCheck(pathToFileURL(`${rendererDir}/assets/index-abc.js`).href)).toBe(true);
    expect(fileCheck(pathToFileURL('/app/out/main/index.js').href)).toBe(false);
    expect(fileCheck('file:///app/out/renderer/../main/index.js')).toBe(false);
    expect(fileCheck('file:///app/out/renderer-evil/index.html')).toBe(false);
    expect(fileCheck('file:///etc/passwd')).toBe(false);
    expect(fileCheck('not a url')).toBe(false);
  });

  it('accepts the dev server only when there is one, by origin', () => {
    expect(fileCheck('http://localhost:5173/')).toBe(false);
    expect(devCheck('http://localhost:5173/')).toBe(true);
    expect(devCheck('http://localhost:5173/src/main.ts')).toBe(true);
    expect(devCheck('http://localhost:5174/')).toBe(false);
    expect(devCheck('https://localhost:5173/')).toBe(false);
    expect(devCheck('https://example.com/')).toBe(false);
  });
});

describe('response headers', () => {
  function received(
    check: (u: string) => boolean,
    url: string,
    headers?: Record<string, string[]>,
  ) {
    const session = new FakeSession();
    installAppHeaders(session as never, check);
    let result: { responseHeaders?: Record<string, string[]> } | undefined;
    session.headersListener!({ url, responseHeaders: headers }, (r) => (result = r));
    return result!;
  }

  it('adds the CSP and COOP/COEP to the app page loaded from file://', () => {
    const r = received(fileCheck, page, {});
    expect(r.responseHeaders).toMatchObject({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'Cross-Origin-Opener-Policy': ['same-origin'],
      'Cross-Origin-Embedder-Policy': ['require-corp'],
    });
  });

  it("adds them to the dev server's responses, replacing its own in any letter case", () => {
    const r = received(devCheck, 'http://localhost:5173/', {
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(r.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      ...Object.fromEntries(Object.entries(APP_RESPONSE_HEADERS).map(([k, v]) => [k, [v]])),
    });
  });

  it('leaves other responses alone', () => {
    expect(received(fileCheck, 'https://example.com/', { a: ['b'] })).toEqual({});
    expect(received(fileCheck, 'file:///etc/hosts', {})).toEqual({});
  });

  it('keeps unrelated headers', () => {
    expect(withAppHeaders({ ETag: ['x'] }).ETag).toEqual(['x']);
    expect(withAppHeaders(undefined)['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });
});

describe('web contents hardening', () => {
  function hardened() {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never, fileCheck);
    return contents;
  }

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    'denies %s away from the app',
    (name) => {
      const contents = hardened();
      const away = fakeEvent({ url: 'https://example.com/' });
      contents.emit(name, away);
      expect(away.defaultPrevented).toBe(true);
      const dropped = fakeEvent({ url: 'file:///home/me/data.csv' });
      contents.emit(name, dropped);
      expect(dropped.defaultPrevented).toBe(true);
    },
  );

  it("lets the app's own page reload", () => {
    const contents = hardened();
    const reload = fakeEvent({ url: page });
    contents.emit('will-navigate', reload);
    expect(reload.defaultPrevented).toBe(false);
  });

  it('denies every new window', () => {
    const contents = hardened();
    const handler = contents.setWindowOpenHandler.mock.calls[0][0];
    expect(handler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: page })).toEqual({ action: 'deny' });
  });

  it('denies webviews', () => {
    const contents = hardened();
    const attach = fakeEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });
});

describe('permissions', () => {
  it('denies every request and every check', () => {
    const session = new FakeSession();
    denyAllPermissions(session as never);
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler!({}, permission)).toBe(false);
    }
  });
});
