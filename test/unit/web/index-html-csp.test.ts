// index.html carries the page's policy literally (static servers and source scanners see it);
// vite.csp.ts refuses a page whose tag is missing, doubled or not PAGE_META_POLICY.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, indexPolicyProblem, metaPolicies } from '../../../vite.csp';
import { PAGE_META_POLICY } from '../../../renderer/security/content-security-policy';

const indexHtml = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
const tag = (content: string) =>
  `<meta http-equiv="Content-Security-Policy" content="${content}" />`;
const page = (head: string) => `<!doctype html><html><head>${head}</head><body></body></html>`;

function transform(html: string): unknown {
  const hook = contentSecurityPolicy().transformIndexHtml as (html: string) => unknown;
  return hook(html);
}

describe('index.html’s Content-Security-Policy', () => {
  it('is PAGE_META_POLICY, once, and the page is built unchanged', () => {
    expect(metaPolicies(indexHtml)).toEqual([PAGE_META_POLICY]);
    expect(indexPolicyProblem(indexHtml)).toBeNull();
    expect(transform(indexHtml)).toBe(indexHtml);
  });

  it('reads the tag with entities and either quote', () => {
    const escaped = PAGE_META_POLICY.replace(/'/g, '&#39;');
    expect(metaPolicies(page(tag(escaped)))).toEqual([PAGE_META_POLICY]);
    const single = `<meta content='${PAGE_META_POLICY.replace(/'/g, '&apos;')}' http-equiv='content-security-policy'>`;
    expect(metaPolicies(page(single))).toEqual([PAGE_META_POLICY]);
  });

  it('refuses a page without the tag, with two, or with another policy', () => {
    expect(() => transform(page(''))).toThrow(/no Content-Security-Policy <meta> tag/);
    expect(() => transform(page(tag(PAGE_META_POLICY) + tag(PAGE_META_POLICY)))).toThrow(
      /2 Content-Security-Policy <meta> tags/,
    );
    const loose = PAGE_META_POLICY.replace("connect-src 'self'", 'connect-src *');
    expect(() => transform(page(tag(loose)))).toThrow(
      /connect-src \*.*renderer\/security\/content-security-policy\.ts says/,
    );
  });
});
