import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  appPageUrl,
  contentTypeOf,
  installAppProtocol,
  registerAppScheme,
  serveAppRequest,
} from '../../../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY, appResponseHeaders } from '../../../../electron/main/security';
import { WORKER_POLICY } from '../../../../renderer/security/content-security-policy';
import { FakeSession, protocol, resetElectron } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

// <root>/secret.txt next to <root>/renderer/: what a traversal would try to reach.
let root: string;
let rendererDir: string;
const SECRET = 'the secret next to the renderer folder';
const INDEX = '<!doctype html><title>Backprop Lab</title>';
const SCRIPT = 'export const x = 1;';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lab-app-protocol-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets', 'nested'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), INDEX);
  await writeFile(join(rendererDir, 'assets', 'index-abc.js'), SCRIPT);
  await writeFile(join(rendererDir, 'assets', 'nested', 'kernel.wasm'), new Uint8Array([0, 97]));
  await writeFile(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(rendererDir, 'assets', 'a file.json'), '{}');
  await writeFile(join(root, 'secret.txt'), SECRET);
});
afterAll(() => rm(root, { recursive: true, force: true }));

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  resetElectron();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

const get = (url: string, method = 'GET') => serveAppRequest(rendererDir, { url, method });

/** Every response, errors included, carries the isolation headers. */
function expectAppHeaders(r: Response): void {
  for (const [name, value] of Object.entries(appResponseHeaders(r.headers.get('Content-Type')))) {
    expect(r.headers.get(name), name).toBe(value);
  }
  expect(r.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  expect(r.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  expect(r.headers.get('X-Content-Type-Options')).toBe('nosniff');
}

describe('the app origin', () => {
  it('is app://backprop-lab, with the page at /index.html', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_HOST).toBe('backprop-lab');
    expect(APP_ORIGIN).toBe('app://backprop-lab');
    expect(appPageUrl).toBe('app://backprop-lab/index.html');
  });

  it('is registered as a standard, secure scheme with fetch and CORS, not bypassing the CSP', () => {
    registerAppScheme(protocol as never);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: {
          standard: true,
          secure: true,
          supportFetchAPI: true,
          corsEnabled: true,
          codeCache: true,
        },
      },
    ]);
  });
});

describe('serving the renderer folder', () => {
  it('serves index.html as HTML with the isolation headers', async () => {
    const r = await get(appPageUrl);
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expectAppHeaders(r);
    expect(r.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await r.text()).toBe(INDEX);
  });

  it('serves / as index.html', async () => {
    const r = await get('app://backprop-lab/');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(INDEX);
  });

  it('serves nested assets with their Content-Type', async () => {
    const js = await get('app://backprop-lab/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expectAppHeaders(js);
    // A worker started from a script runs under that script's policy, not the page's.
    expect(js.headers.get('Content-Security-Policy')).toBe(WORKER_POLICY);
    expect(await js.text()).toBe(SCRIPT);

    const wasm = await get('app://backprop-lab/assets/nested/kernel.wasm');
    expect(wasm.headers.get('Content-Type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97]));
    expectAppHeaders(wasm);

    const css = await get('app://backprop-lab/assets/index-abc.css?v=1#x');
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
  });

  it('decodes escaped names', async () => {
    const r = await get('app://backprop-lab/assets/a%20file.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
  });

  it('answers HEAD with the headers and no body', async () => {
    const r = await get(appPageUrl, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Length')).toBe(String(INDEX.length));
    expectAppHeaders(r);
    expect(await r.text()).toBe('');
  });

  it('knows the Content-Type of each kind of file it ships', () => {
    expect(contentTypeOf('a.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('a.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('a.png')).toBe('image/png');
    expect(contentTypeOf('a.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a.ico')).toBe('image/x-icon');
    expect(contentTypeOf('a.txt')).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf('a.js.map')).toBe('application/json; charset=utf-8');
    expect(contentTypeOf('A.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a.bin')).toBe('application/octet-stream');
    expect(contentTypeOf('noextension')).toBe('application/octet-stream');
  });
});

describe('refusals', () => {
  it('answers a missing file with 404 and the headers', async () => {
    const r = await get('app://backprop-lab/assets/missing.js');
    expect(r.status).toBe(404);
    expect(r.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expectAppHeaders(r);
    expect(await r.text()).toBe('Not found');
  });

  it('answers a folder with 404', async () => {
    expect((await get('app://backprop-lab/assets')).status).toBe(404);
    expect((await get('app://backprop-lab/assets/')).status).toBe(404);
    expect((await get('app://backprop-lab/index.html/x')).status).toBe(404);
  });

  it.each([
    'app://backprop-lab/../secret.txt',
    'app://backprop-lab/assets/../../secret.txt',
    'app://backprop-lab/%2e%2e/secret.txt',
    'app://backprop-lab/%2E%2E/secret.txt',
    'app://backprop-lab/%2e%2e%2fsecret.txt',
    'app://backprop-lab/..%2fsecret.txt',
    'app://backprop-lab/assets/..%2F..%2Fsecret.txt',
    'app://backprop-lab/..%5csecret.txt',
    'app://backprop-lab/..\\secret.txt',
    'app://backprop-lab/index.html%00.js',
    'app://backprop-lab/%252e%252e/secret.txt',
    'app://backprop-lab//etc/passwd',
    'app://backprop-lab/%2Fetc%2Fpasswd',
    'app://backprop-lab/%E0%A4%A',
  ])('never serves anything outside the renderer folder: %s', async (url) => {
    const r = await get(url);
    expect([403, 404]).toContain(r.status);
    expectAppHeaders(r);
    expect(await r.text()).not.toContain(SECRET);
  });

  it('refuses encoded separators, NUL and dot segments with 403 and a warning', async () => {
    for (const url of [
      'app://backprop-lab/..%2fsecret.txt',
      'app://backprop-lab/%2e%2e%2fsecret.txt',
      'app://backprop-lab/..%5csecret.txt',
      'app://backprop-lab/index.html%00',
    ]) {
      warn.mockClear();
      const r = await get(url);
      expect(r.status, url).toBe(403);
      expect(await r.text()).toBe('Forbidden');
      expect(warn, url).toHaveBeenCalledWith(expect.stringContaining(`refused ${url}`));
    }
  });

  it.each([
    'app://other/index.html',
    'app://backprop-lab.evil/index.html',
    'app://backprop-lab:8080/index.html',
    'app://user@backprop-lab/index.html',
    'app://backprop-lab@evil/index.html',
    'https://backprop-lab/index.html',
    'file:///index.html',
    'not a url',
  ])('refuses other origins: %s', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(403);
    expectAppHeaders(r);
    expect(await r.text()).not.toContain('Backprop Lab');
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('refuses %s with 405', async (method) => {
    const r = await get(appPageUrl, method);
    expect(r.status).toBe(405);
    expect(r.headers.get('Allow')).toBe('GET, HEAD');
    expectAppHeaders(r);
    expect(await r.text()).not.toContain('Backprop Lab');
  });
});

describe('installing the handler', () => {
  it('handles app: on the session, from the renderer folder', async () => {
    const session = new FakeSession();
    installAppProtocol(session as never, rendererDir);
    expect(session.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = session.protocolHandlers.get('app')!;
    const r = await handler(new Request('app://backprop-lab/index.html'));
    expect(r.status).toBe(200);
    expectAppHeaders(r);
    expect(await r.text()).toBe(INDEX);
    const post = await handler(new Request(appPageUrl, { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });
});
