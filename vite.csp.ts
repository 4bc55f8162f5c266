// The Content-Security-Policy of renderer/security/content-security-policy.ts, applied by Vite:
// index.html's own <meta> tag is checked against it (every build and every page the dev server
// serves), and it is the header of every response of the dev and preview servers, the page's for
// the page and the workers' for JavaScript (a worker obeys the policy its own script came with,
// not the page's <meta>).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import {
  PAGE_META_POLICY,
  policyForContentType,
} from './renderer/security/content-security-policy.ts';

type Next = (err?: unknown) => void;

/** The <meta> policy tags of a page, with the content each carries (entities decoded). */
export function metaPolicies(html: string): string[] {
  const tags = html.match(/<meta\b[^>]*http-equiv=["']?content-security-policy["']?[^>]*>/gi) ?? [];
  return tags.map((tag) => {
    const m = /\bcontent=(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    return (m?.[1] ?? m?.[2] ?? '')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  });
}

/**
 * index.html carries the page's policy literally (so that static servers and source scanners
 * see it); this says how it differs from PAGE_META_POLICY, or null when it is the same, once.
 */
export function indexPolicyProblem(html: string): string | null {
  const found = metaPolicies(html);
  if (found.length === 1 && found[0] === PAGE_META_POLICY) return null;
  const expected = `<meta http-equiv="Content-Security-Policy" content="${PAGE_META_POLICY}" />`;
  if (found.length === 0)
    return `index.html has no Content-Security-Policy <meta> tag: add ${expected}`;
  if (found.length > 1)
    return `index.html has ${found.length} Content-Security-Policy <meta> tags: keep one, ${expected}`;
  return `index.html's Content-Security-Policy is "${found[0]}", but renderer/security/content-security-policy.ts says "${PAGE_META_POLICY}": write ${expected}`;
}

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
    // The page's own tag must be the policy of content-security-policy.ts: no build otherwise.
    transformIndexHtml(html) {
      const problem = indexPolicyProblem(html);
      if (problem) throw new Error(problem);
      return html;
    },
    configureServer: (server) => void server.middlewares.use(cspMiddleware),
    configurePreviewServer: (server) => void server.middlewares.use(cspMiddleware),
  };
}
