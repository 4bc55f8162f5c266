// Issue 12: a crash loses at most the last moments of work. An edit is made, the page is killed
// the moment the browser's storage holds it (Chromium's Page.crash: no pagehide, no
// visibilitychange, no beforeunload, so only the write made shortly after the edit can have
// kept it), and a new page on the app opens with the edit in place.
import { type Page, expect, test } from '@playwright/test';
import { nodeEl, openApp, selectNode, setParam } from './app';

/** fc1's units in the project the browser keeps for the next visit (null: none kept yet). */
function keptUnits(page: Page): Promise<number | null> {
  return page.evaluate(
    () =>
      new Promise<number | null>((resolve, reject) => {
        const open = indexedDB.open('backprop-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('projects')) return resolve(null);
          const get = db.transaction('projects').objectStore('projects').get('last');
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            db.close();
            if (typeof get.result !== 'string') return resolve(null);
            const project = JSON.parse((JSON.parse(get.result) as { text: string }).text) as {
              nodes: { id: string; params?: { units?: number } }[];
            };
            resolve(project.nodes.find((n) => n.id === 'fc1')?.params?.units ?? null);
          };
        };
      }),
  );
}

test('an edit kept shortly after it was made survives the page crashing', async ({
  page,
  context,
}) => {
  await openApp(page);
  await setParam(page, 'fc1', 'units', '13');
  // Written by the save that follows an edit (within 500 ms), not by one as the page leaves.
  await expect.poll(() => keptUnits(page)).toBe(13);
  const leaveCopy = await page.evaluate(() => localStorage.getItem('backprop-lab.last-project'));
  expect(leaveCopy, 'nothing was written as the page left: it has not left').toBeNull();

  const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
  const cdp = await context.newCDPSession(page);
  void cdp.send('Page.crash').catch(() => {}); // never answered: the page is gone
  await crashed;
  // The crash ran no unload handler: the copy written as a page leaves still does not exist.
  const again = await context.newPage();
  await again.goto('/');
  expect(await again.evaluate(() => localStorage.getItem('backprop-lab.last-project'))).toBeNull();

  await expect(again.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await expect(nodeEl(again, 'fc1')).toBeVisible();
  const inspector = await selectNode(again, 'fc1');
  await expect(inspector.getByLabel('units', { exact: true })).toHaveValue('13');
  await again.close();
});
