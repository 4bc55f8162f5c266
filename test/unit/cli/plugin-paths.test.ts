import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pluginFiles } from '../../../cli/plugins';
import { parseProject } from '../../../core/graph/parse';
import type { LabError } from '../../../core/util/errors';
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

describe('a project from elsewhere runs no code without consent', () => {
  const root = mkdtempSync(join(tmpdir(), 'bl-consent-'));
  const projectDir = join(root, 'downloads', 'theirs');
  const elsewhere = join(root, 'home', 'etc');
  mkdirSync(projectDir, { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  const outside = join(elsewhere, 'evil.js');
  writeFileSync(outside, 'export default {}');
  writeFileSync(join(projectDir, 'inside.js'), 'export default {}');
  symlinkSync(outside, join(projectDir, 'linked.js'));
  const file = join(projectDir, 'p.json');
  const project = (plugins: string[]) => parseProject({ ...makeProject(mlp(1, 2)), plugins });
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as LabError;
    }
    throw new Error('not refused');
  };

  it('refuses a plugin outside its folder, by ../ or an absolute path, naming each', () => {
    const e = refusal(() => pluginFiles(project(['../../home/etc/evil.js', outside]), file, []));
    expect(e.code).toBe('PLUGIN');
    expect(e.message).toContain(
      `${file}: names 2 plugins outside its folder and the shipped plugins (../../home/etc/evil.js, ${outside}); a project from elsewhere runs no code without consent: if you trust them, run again with --allow-plugin`,
    );
    expect(e.problems).toEqual([
      expect.stringMatching(
        /p\.json: plugins\[0\]: \.\.\/\.\.\/home\/etc\/evil\.js is .*evil\.js, outside the project's folder$/,
      ),
      expect.stringMatching(
        /p\.json: plugins\[1\]: .*evil\.js is .*evil\.js, outside the project's folder$/,
      ),
    ]);
  });

  it('refuses a link in its folder that leads outside', () => {
    const e = refusal(() => pluginFiles(project(['./linked.js']), file, []));
    expect(e.message).toMatch(
      /names a plugin outside its folder .*\(\.\/linked\.js\).*--allow-plugin \S*linked\.js$/,
    );
    expect(e.problems[0]).toBe(
      `${file}: plugins[0]: ./linked.js is ${realpathSync(outside)}, outside the project's folder`,
    );
  });

  it('takes its own files, the shipped plugins and what --allow-plugin names', () => {
    expect(pluginFiles(project(['./inside.js', 'wacky.js']), file, []).map((f) => f.path)).toEqual([
      join(projectDir, 'inside.js'),
      join(shipped, 'wacky.js'),
    ]);
    const allowed = pluginFiles(
      project(['../../home/etc/evil.js', './linked.js']),
      file,
      [],
      [outside],
    );
    expect(allowed.map((f) => f.path)).toEqual([outside, join(projectDir, 'linked.js')]);
    // --plugin on the command line is the user's own choice.
    expect(pluginFiles(project([]), file, [outside])[0].path).toBe(outside);
  });
});
