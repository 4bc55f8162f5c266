// The web servers' side of the one Content-Security-Policy (vite.csp.ts): the page's for pages,
// the workers' for scripts, whether or not the server set the type before the headers went out,
// and none on a 304 (the browser keeps the cached response's).
import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cspMiddleware } from '../../../vite.csp';
import { PAGE_POLICY, WORKER_POLICY } from '../../../renderer/security/content-security-policy';

function respond(url: string, write: (res: ServerResponse) => void): ServerResponse {
  const req = new IncomingMessage(new Socket());
  req.url = url;
  const res = new ServerResponse(req);
  cspMiddleware(req, res, () => {});
  write(res);
  return res;
}

describe('the web servers’ Content-Security-Policy', () => {
  it('is the page’s for HTML and the workers’ for JavaScript, by type', () => {
    const html = respond('/', (r) => r.writeHead(200, { 'Content-Type': 'text/html' }));
    expect(html.getHeader('content-security-policy')).toBe(PAGE_POLICY);
    const js = respond('/x', (r) => {
      r.setHeader('Content-Type', 'text/javascript');
      r.writeHead(200);
    });
    expect(js.getHeader('content-security-policy')).toBe(WORKER_POLICY);
  });

  it('goes by the path when the server has not set the type yet', () => {
    const worker = respond('/assets/training.worker-abc.js', (r) => r.writeHead(200));
    expect(worker.getHeader('content-security-policy')).toBe(WORKER_POLICY);
    const dev = respond('/worker/training.worker.ts?worker_file&type=module', (r) =>
      r.writeHead(200),
    );
    expect(dev.getHeader('content-security-policy')).toBe(WORKER_POLICY);
    expect(respond('/', (r) => r.writeHead(200)).getHeader('content-security-policy')).toBe(
      PAGE_POLICY,
    );
  });

  it('replaces a policy the server set itself, and leaves a 304 without one', () => {
    const own = respond('/index.html', (r) =>
      r.writeHead(200, { 'Content-Type': 'text/html', 'content-security-policy': 'default-src *' }),
    );
    expect(own.getHeader('content-security-policy')).toBe(PAGE_POLICY);
    const cached = respond('/assets/training.worker-abc.js', (r) => r.writeHead(304));
    expect(cached.getHeader('content-security-policy')).toBeUndefined();
  });
});
