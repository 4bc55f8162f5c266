// A layer dragged from the palette onto a connection goes in between its two nodes: the line
// is marked while the layer hovers it, the drop rewires both sides, and one Undo takes it back.
import { expect, test } from '@playwright/test';
import { canvasRegion, edge, nodeEl, nodeIds, openApp } from './app';

/** What the palette puts on a drag (renderer/builder/canvas-bridge.ts). */
const LAYER_MIME = 'application/x-backprop-layer';

test('dropping ReLU on h1 → fc2 inserts it between them, undone in one step', async ({ page }) => {
  await openApp(page);
  const before = (await nodeIds(page)).sort();
  const label = canvasRegion(page).locator('[data-edge-id="h1->fc2"]');
  await expect(label).toBeVisible();
  const box = (await label.boundingBox())!;
  const item = page
    .getByRole('complementary', { name: 'Layer palette' })
    .getByRole('listitem', { name: 'ReLU', exact: true });
  const to = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  // A layer dragged over the connection marks it (the drag event as the palette's drag makes it).
  await label.evaluate(
    (el, { x, y, mime }) => {
      const dataTransfer = new DataTransfer();
      dataTransfer.setData(mime, 'ReLU');
      el.dispatchEvent(
        new DragEvent('dragover', { dataTransfer, clientX: x, clientY: y, bubbles: true }),
      );
    },
    { ...to, mime: LAYER_MIME },
  );
  await expect(label).toHaveClass(/insert-target/);
  await expect(edge(page, 'h1', 'fc2').locator('path.shape-edge')).toHaveCSS(
    'stroke-dasharray',
    '6px, 4px',
  );

  // Measured again just before the drop: the nodes may have been laid out anew meanwhile (their
  // shapes come back from the worker), which moves the connection on a busy machine.
  const now = (await label.boundingBox())!;
  const at = { x: now.x + now.width / 2, y: now.y + now.height / 2 };
  const canvasBox = (await canvasRegion(page).boundingBox())!;
  await item.dragTo(canvasRegion(page), {
    targetPosition: { x: at.x - canvasBox.x, y: at.y - canvasBox.y },
  });
  await expect(nodeEl(page, 'relu1')).toBeVisible();
  await expect(label).toHaveCount(0);
  await expect(edge(page, 'h1', 'relu1')).toHaveCount(1);
  await expect(edge(page, 'relu1', 'fc2')).toHaveCount(1);
  await expect(edge(page, 'h1', 'fc2')).toHaveCount(0);
  // The new node is checked like any other: its shape comes back from the worker.
  await expect(edge(page, 'relu1', 'fc2')).toHaveAttribute('aria-label', /\[8\]/);

  // The drop left the keyboard on the canvas: Ctrl+Z undoes the whole insertion.
  await expect(canvasRegion(page)).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(nodeEl(page, 'relu1')).toHaveCount(0);
  await expect(edge(page, 'h1', 'fc2')).toHaveCount(1);
  expect((await nodeIds(page)).sort()).toEqual(before);
});
