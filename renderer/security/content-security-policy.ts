// The app's Content-Security-Policy, written once. The page's <meta> tag (vite-csp.ts puts it in
// index.html), the desktop app's app:// handler and the web servers of `npm run web` and
// `npm run preview:web` all take it from here. A worker does not inherit the page's policy: its
// own is the one sent with its script, so every JavaScript response carries WORKER_POLICY.

/**
 * The page: its own scripts and WebAssembly only, no eval. 'unsafe-inline' styles: vue-flow
 * positions nodes with inline styles. Plugin code never runs in the page.
 */
const PAGE_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/**
 * The training worker and its matrix-product helper thread: the app's own scripts, its
 * WebAssembly kernel, and 'unsafe-eval' because plugin code is evaluated in a Hardened JavaScript
 * compartment (core/plugins/sandbox). Nothing else: no network at all (connect-src 'none'), so
 * even code that got out of its compartment could not send the user's data anywhere.
 */
const WORKER_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  // The matrix-product helper thread is a Blob worker the training worker starts
  // (renderer/worker/gemm-helper.ts); plugins have no Worker, Blob or URL to start one.
  "worker-src 'self' blob:",
  "connect-src 'none'",
  "base-uri 'none'",
];

/** Only a response header can say who may frame the page (a <meta> policy ignores it). */
const HEADER_ONLY = ["frame-ancestors 'none'"];

/** The policy sent with the page (as a header, by the servers that can). */
export const PAGE_POLICY = [...PAGE_DIRECTIVES, ...HEADER_ONLY].join('; ');

/** The same policy as the page's <meta> tag carries it (works from any static web server). */
export const PAGE_META_POLICY = PAGE_DIRECTIVES.join('; ');

/** The policy sent with every JavaScript file: the one a worker started from it runs under. */
export const WORKER_POLICY = [...WORKER_DIRECTIVES, ...HEADER_ONLY].join('; ');

/**
 * The policy for a response of this Content-Type: JavaScript gets the workers' policy (a page
 * ignores the header of the scripts it loads; a worker obeys the one of its own script), and
 * everything else the page's.
 *
 * @example policyForContentType('text/javascript; charset=utf-8') === WORKER_POLICY
 */
export function policyForContentType(contentType: string | null | undefined): string {
  return /javascript|ecmascript/i.test(contentType ?? '') ? WORKER_POLICY : PAGE_POLICY;
}
