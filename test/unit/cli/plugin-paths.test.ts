import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pluginFiles } from '../../../cli/plugins';
import { parseProject } from '../../../core/graph/parse';
import { makeProject, mlp } from '../../helpers/project';

const shipped = fileURLToPath(new URL('../../../plugins/', import.meta.url));

describe("a project's plugin entries", () => {
  const dir = mkdtempSync(join(tmpdir(), 'bl-plugins-'));
  const file = join(dir, 'p.json');
  const project = (plugins: string[]) => parseProject({ ...makeProject(mlp(1, 2)), plugins });

  it('are relative to the project file', () => {
    writeFileSync(join(dir, 'mine.js'), 'export default {}');
    expect(pluginFiles(project(['./mine.js']), file, [])[0].path).toBe(join(dir, 'mine.js'));
  });

  it('fall back to the shipped plugins for a bare name the app wrote', () => {
    expect(pluginFiles(project(['wacky.js']), file, [])[0].path).toBe(join(shipped, 'wacky.js'));
    expect(pluginFiles(project(['./swish.ts']), file, [])[0].path).toBe(join(shipped, 'swish.ts'));
  });

  it('prefer a file next to the project over a shipped one of the same name', () => {
    writeFileSync(join(dir, 'wacky.js'), 'export default {}');
    expect(pluginFiles(project(['wacky.js']), file, [])[0].path).toBe(join(dir, 'wacky.js'));
  });

  it('stay relative (and fail clearly later) when found nowhere', () => {
    expect(pluginFiles(project(['nowhere.js']), file, [])[0].path).toBe(join(dir, 'nowhere.js'));
    expect(pluginFiles(project(['sub/wacky.js']), file, [])[0].path).toBe(
      join(dir, 'sub/wacky.js'),
    );
  });
});
