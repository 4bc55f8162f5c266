// Issues 12 and 13: the Content-Security-Policy is written once
// (renderer/security/content-security-policy.ts) and reaches the page and every worker: a
// worker runs under the policy sent with its own script, not the page's <meta> tag.
import { expect, test } from '@playwright/test';
import {
  PAGE_META_POLICY,
  PAGE_POLICY,
  WORKER_POLICY,
} from '../../../renderer/security/content-security-policy';
import { openApp } from '../app/app';

test('the page and the training worker each get their policy from the one module', async ({
  page,
}) => {
  const policies = new Map<string, string | undefined>();
  page.on('response', (r) => policies.set(r.url(), r.headers()['content-security-policy']));
  await openApp(page);

  expect(policies.get(page.url())).toBe(PAGE_POLICY);
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveAttribute('content', PAGE_META_POLICY);

  const worker = [...policies.keys()].find((u) => /training\.worker[^/]*\.js/.test(u));
  expect(worker, 'the training worker script was loaded').toBeDefined();
  expect(policies.get(worker!)).toBe(WORKER_POLICY);

  // Inside the worker the policy is in force: no request leaves it, not even to the app's origin.
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  const training = page.workers().find((w) => /training\.worker/.test(w.url()))!;
  const refused = await training.evaluate(async () => {
    try {
      await fetch('./index.html');
      return 'fetched';
    } catch (e) {
      return String(e);
    }
  });
  expect(refused).toMatch(/TypeError/);
  const socket = await training.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const violation = (e: SecurityPolicyViolationEvent) =>
          resolve(`blocked ${e.violatedDirective}`);
        self.addEventListener('securitypolicyviolation', violation);
        try {
          const ws = new WebSocket(`ws://${location.host}/`);
          ws.onopen = () => resolve('opened');
        } catch (e) {
          resolve(String(e));
        }
      }),
  );
  expect(socket).toMatch(/^blocked connect-src|SecurityError/);
});
