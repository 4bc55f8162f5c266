// Issue 12 in Chromium: the plugin written to escape, loaded into the web app. Every attempt of
// test/helpers/escape-attempts.ts fails with a message that names its file, and what the
// original attacks did does not happen: no request reaches a local server, no spoofed banner,
// the plugin list stays the app's, an unrelated XOR run trains exactly as before.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { type Page, expect, test } from '@playwright/test';
import {
  ESCAPE_ATTEMPTS,
  escapeFile,
  escapePlugin,
  escapeType,
} from '../../helpers/escape-attempts';
import { makeProject } from '../../helpers/project';
import { button, lossValue, openApp, runState, setTraining } from '../app/app';

const inBrowser = ESCAPE_ATTEMPTS.filter((a) => a.only !== 'node');
/** The plugins shipped in plugins/. */
const SHIPPED = readdirSync('plugins').filter(
  (f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'),
).length;

let server: Server;
let origin = '';
const requests: string[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function loadPlugin(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Load plugin…' }).first().click(),
  ]);
  await chooser.setFiles(file);
}

/** File › Open…, discarding the changes on screen. */
async function open(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open…', exact: true }).click();
  const ask = page.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
  const first = await Promise.race([
    chooser.then(() => 'chooser'),
    ask.waitFor().then(() => 'ask'),
  ]);
  if (first === 'ask') await ask.getByRole('button', { name: 'Discard changes' }).click();
  await (await chooser).setFiles(file);
}

/** XOR trained to the end from the same seed: the loss it ends at. */
async function xorLoss(page: Page): Promise<number> {
  await open(page, 'examples/xor.json');
  await setTraining(page, { Epochs: 30 });
  await button(page, 'Train').click();
  await expect(runState(page)).toHaveText(/finished/i, { timeout: 30_000 });
  return lossValue(page);
}

test('every escape attempt fails in the training worker, naming its plugin', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  const before = await xorLoss(page);

  for (const a of inBrowser) {
    const file = info.outputPath(escapeFile(a));
    await writeFile(file, escapePlugin(a).replaceAll('127.0.0.1:9', origin));
    await loadPlugin(page, file);
  }
  await page.getByRole('tab', { name: /^Plugins/ }).click();
  const list = page.getByRole('list', { name: 'Plugin files' });
  await expect(page.getByText('Checking…')).toHaveCount(0, { timeout: 60_000 });
  for (const a of inBrowser) {
    const item = list.locator(':scope > li', { hasText: escapeFile(a) });
    await expect(item, a.id).toHaveCount(1);
    await expect(item, a.id).toContainText(a.at === 'load' ? 'broken' : 'gradient check failed');
    const text = (await item.textContent()) ?? '';
    expect(text, a.id).toMatch(a.expect);
    // A load error starts with the file; a failed check names the layer "from plugin <file>".
    expect(text, a.id).toContain(
      a.at === 'load' ? `${escapeFile(a)}:` : `from plugin user:${escapeFile(a)}`,
    );
  }

  // Training through the attempts that did damage before: the run fails, naming node and plugin.
  for (const id of ['fetch', 'self-postmessage', 'set-interval', 'indexeddb-read']) {
    const a = inBrowser.find((x) => x.id === id)!;
    const project = makeProject(
      [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'evil', type: escapeType(a), inputs: ['x'] },
        { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['evil'] },
        { id: 'y', type: 'Sigmoid', inputs: ['fc'] },
      ],
      { name: `Escape ${id}` },
    );
    const file = info.outputPath(`escape-${id}.json`);
    await writeFile(file, JSON.stringify(project));
    await open(page, file);
    await expect(page.getByTestId('project-name')).toHaveText(`Escape ${id}`);
    await button(page, 'Train').click();
    // A layer whose load-time gradient check failed: Train asks first, naming it.
    const ask = page.getByRole('alertdialog', {
      name: 'Train with a layer that failed its gradient check?',
    });
    await expect(ask.or(runState(page).filter({ hasText: /failed/i }))).toBeVisible({
      timeout: 30_000,
    });
    if (await ask.isVisible()) {
      await expect(ask).toContainText(`Layer ${escapeType(a)} failed its gradient check`);
      await ask.getByRole('button', { name: 'Train anyway' }).click();
    }
    await expect(runState(page)).toHaveText(/failed/i, { timeout: 30_000 });
    const error = page.getByTestId('training-error');
    await expect(error).toContainText(`from plugin user:${escapeFile(a)} (node evil)`);
    await expect(error).toContainText(a.expect);
  }

  expect(requests, 'requests that reached the local server').toEqual([]);
  await expect(page.getByText('SPOOFED')).toHaveCount(0);
  // Every file is still listed, and only those the user loaded (and the shipped ones).
  await expect(list.locator(':scope > li')).toHaveCount(inBrowser.length + SHIPPED);
  // Math.exp, Array.prototype and Object.prototype were not changed for anyone else.
  expect(await xorLoss(page)).toBe(before);
});
