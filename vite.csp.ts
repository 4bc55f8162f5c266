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

/** Sets the policy for the response's Content-Type just before its headers go out. */
export function cspMiddleware(_req: IncomingMessage, res: ServerResponse, next: Next): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const given = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as
      Record<string, unknown> | undefined;
    const typeKey = given && Object.keys(given).find((k) => k.toLowerCase() === 'content-type');
    const type = typeKey ? given[typeKey] : this.getHeader('content-type');
    const policy = policyForContentType(typeof type === 'string' ? type : null);
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
