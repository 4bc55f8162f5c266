import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PAGE_META_POLICY,
  WORKER_POLICY,
} from '../../../../renderer/security/content-security-policy';
import {
  appResponseHeaders,
  CONTENT_SECURITY_POLICY,
  createAppUrlCheck,
  denyAllPermissions,
  hardenWebContents,
  installAppHeaders,
  withAppHeaders,
} from '../../../../electron/main/security';
import { APP_ORIGIN, appPageUrl } from '../../../../electron/main/app-protocol';
import { FakeSession, FakeWebContents, fakeEvent, resetElectron } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

const rendererDir = '/app/out/renderer';
const page = appPageUrl;
const builtCheck = createAppUrlCheck({ appOrigin: APP_ORIGIN, devServerUrl: null });
const devCheck = createAppUrlCheck({
  appOrigin: APP_ORIGIN,
  devServerUrl: 'http://localhost:5173',
});

beforeEach(() => {
  resetElectron();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('the Content-Security-Policy', () => {
  it("is the page's strict policy, the one its <meta> tag carries plus frame-ancestors", () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).toBe(`${PAGE_META_POLICY}; frame-ancestors 'none'`);
    // Compiling the SIMD kernel's WebAssembly is allowed; evaluating strings as JavaScript is not.
    expect(CONTENT_SECURITY_POLICY.replace(/'wasm-unsafe-eval'/g, '')).not.toContain('unsafe-eval');
  });

  it('gives workers no network at all, and eval only for the plugin compartments', () => {
    expect(WORKER_POLICY).toBe(
      "default-src 'none'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; " +
        "worker-src 'self' blob:; connect-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(appResponseHeaders('text/javascript; charset=utf-8')['Content-Security-Policy']).toBe(
      WORKER_POLICY,
    );
    expect(appResponseHeaders('text/html; charset=utf-8')['Content-Security-Policy']).toBe(
      CONTENT_SECURITY_POLICY,
    );
  });
});

describe('the app URL check', () => {
  it('accepts the pages and files of app://backprop-lab', () => {
    expect(builtCheck('app://backprop-lab/index.html')).toBe(true);
    expect(builtCheck('app://backprop-lab/index.html#/train')).toBe(true);
    expect(builtCheck('app://backprop-lab/index.html?x=1')).toBe(true);
    expect(builtCheck('app://backprop-lab/assets/index-abc.js')).toBe(true);
    expect(builtCheck('app://backprop-lab/')).toBe(true);
    expect(builtCheck('app://backprop-lab')).toBe(true);
    expect(devCheck(page)).toBe(true);
  });

  it('refuses lookalikes of the app origin', () => {
    expect(builtCheck('app://backprop-lab.evil/index.html')).toBe(false);
    expect(builtCheck('app://evil.backprop-lab/index.html')).toBe(false);
    expect(builtCheck('app://backprop-lab@evil/index.html')).toBe(false);
    expect(builtCheck('app://user@backprop-lab/index.html')).toBe(false);
    expect(builtCheck('app://user:pw@backprop-lab/index.html')).toBe(false);
    expect(builtCheck('app://backprop-lab:1/index.html')).toBe(false);
    expect(builtCheck('app://other/index.html')).toBe(false);
    expect(builtCheck('apps://backprop-lab/index.html')).toBe(false);
    expect(builtCheck('https://backprop-lab/index.html')).toBe(false);
    expect(builtCheck('http://backprop-lab/index.html')).toBe(false);
    expect(builtCheck('blob:app://backprop-lab/0b5e7e9a-1111-2222-3333-444455556666')).toBe(false);
    expect(builtCheck('not a url')).toBe(false);
  });

  it("refuses file:// URLs, even the built renderer's own files (they are served from app://)", () => {
    expect(builtCheck(pathToFileURL(`${rendererDir}/index.html`).href)).toBe(false);
    expect(builtCheck(pathToFileURL(`${rendererDir}/assets/index-abc.js`).href)).toBe(false);
    expect(builtCheck('file:///etc/passwd')).toBe(false);
    expect(devCheck(pathToFileURL(`${rendererDir}/index.html`).href)).toBe(false);
  });

  it('accepts the dev server only when there is one, by origin', () => {
    expect(builtCheck('http://localhost:5173/')).toBe(false);
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

  it("adds the CSP and COOP/COEP to the dev server's page", () => {
    const r = received(devCheck, 'http://localhost:5173/', {});
    expect(r.responseHeaders).toMatchObject({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'Cross-Origin-Opener-Policy': ['same-origin'],
      'Cross-Origin-Embedder-Policy': ['require-corp'],
    });
  });

  it('leaves app:// responses alone: their handler sets the headers, none doubled', () => {
    const own = Object.fromEntries(
      Object.entries(appResponseHeaders('text/html')).map(([k, v]) => [k, [v]]),
    );
    expect(received(builtCheck, page, own)).toEqual({});
    expect(received(devCheck, 'app://backprop-lab/assets/index-abc.js', own)).toEqual({});
  });

  it("adds them to the dev server's responses, replacing its own in any letter case", () => {
    const r = received(devCheck, 'http://localhost:5173/', {
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(r.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      ...Object.fromEntries(
        Object.entries(appResponseHeaders('text/html')).map(([k, v]) => [k, [v]]),
      ),
    });
  });

  it("gives the dev server's scripts the workers' policy", () => {
    const r = received(devCheck, 'http://localhost:5173/worker/training.worker.ts', {
      'Content-Type': ['text/javascript'],
    });
    expect(r.responseHeaders!['Content-Security-Policy']).toEqual([WORKER_POLICY]);
  });

  it('leaves other responses alone', () => {
    expect(received(builtCheck, 'https://example.com/', { a: ['b'] })).toEqual({});
    expect(received(devCheck, 'https://example.com/', { a: ['b'] })).toEqual({});
    expect(received(builtCheck, 'file:///etc/hosts', {})).toEqual({});
    expect(received(builtCheck, pathToFileURL(`${rendererDir}/index.html`).href, {})).toEqual({});
  });

  it('keeps unrelated headers', () => {
    expect(withAppHeaders({ ETag: ['x'] }).ETag).toEqual(['x']);
    expect(withAppHeaders(undefined)['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });
});

describe('web contents hardening', () => {
  function hardened() {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never, builtCheck);
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
      const lookalike = fakeEvent({ url: 'app://backprop-lab.evil/index.html' });
      contents.emit(name, lookalike);
      expect(lookalike.defaultPrevented).toBe(true);
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
