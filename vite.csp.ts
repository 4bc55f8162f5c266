// The Content-Security-Policy of renderer/security/content-security-policy.ts, applied by Vite:
// as the <meta> tag of index.html (every build), and as the header of every response of the dev
// and preview servers, the page's for the page and the workers' for JavaScript (a worker obeys
// the policy its own script came with, not the page's <meta>).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import {
  PAGE_META_POLICY,
  policyForContentType,
} from './renderer/security/content-security-policy.ts';

type Next = (err?: unknown) => void;

/** Where index.html wants its policy. */
export const CSP_MARKER = '<!-- Content-Security-Policy (vite.csp.ts) -->';

/**
 * Sets the policy for the response's Content-Type (or, before the server set one, its path) just
 * before its headers go out. A 304 gets none: the browser keeps the headers of the response it
 * has cached.
 */
export function cspMiddleware(req: IncomingMessage, res: ServerResponse, next: Next): void {
  // The servers do not always know the type yet when the headers go out: the path says it too.
  const path = (req.url ?? '').split('?')[0];
  const script = /\.(m?js|m?ts)$/i.test(path) || /[?&]worker_file/.test(req.url ?? '');
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const status = typeof args[0] === 'number' ? args[0] : this.statusCode;
    if (status === 304) return writeHead.apply(this, args as Parameters<typeof writeHead>);
    const given = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as
      Record<string, unknown> | undefined;
    const typeKey = given && Object.keys(given).find((k) => k.toLowerCase() === 'content-type');
    const type = typeKey ? given[typeKey] : this.getHeader('content-type');
    const policy = policyForContentType(
      typeof type === 'string' && type !== '' ? type : script ? 'text/javascript' : null,
    );
    if (given) {
      for (const k of Object.keys(given))
        if (k.toLowerCase() === 'content-security-policy') delete given[k];
    }
    this.setHeader('Content-Security-Policy', policy);
    return writeHead.apply(this, args as Parameters<typeof writeHead>);
  } as typeof res.writeHead;
  next();
}

export function contentSecurityPolicy(): Plugin {
  return {
    name: 'backprop-lab:content-security-policy',
    // In place of the marker in index.html: after the charset, before any script.
    transformIndexHtml(html) {
      if (!html.includes(CSP_MARKER)) throw new Error(`index.html lacks the marker ${CSP_MARKER}`);
      const content = PAGE_META_POLICY.replace(/'/g, '&#39;');
      return html.replace(
        CSP_MARKER,
        `<meta http-equiv="Content-Security-Policy" content="${content}" />`,
      );
    },
    configureServer: (server) => void server.middlewares.use(cspMiddleware),
    configurePreviewServer: (server) => void server.middlewares.use(cspMiddleware),
  };
}
