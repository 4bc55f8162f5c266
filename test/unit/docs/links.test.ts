// Every relative link in the repository's Markdown points at a file that is in the repository
// (and at a heading of it, when the link names one), and no file cites documents that live
// outside it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const markdown = tracked.filter((f) => f.endsWith('.md'));

/** Relative link targets of a Markdown text: `[text](target)` and `![alt](target)`, no URLs. */
function relativeLinks(text: string): string[] {
  return links(text).map((t) => t.split('#')[0]);
}

/** Relative link targets with their #heading, if any. */
function links(text: string): string[] {
  const out: string[] = [];
  // Code blocks and inline code hold examples, not links.
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    out.push(decodeURI(target));
  }
  return out;
}

/** The anchors a Markdown file's headings get, as GitHub makes them. */
function anchors(text: string): Set<string> {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const out = new Set<string>();
  for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    out.add(slug);
  }
  return out;
}

describe('documentation links', () => {
  it('finds the links it checks (the checker itself works)', () => {
    expect(
      relativeLinks('see [a](docs/a.md#x), ![b](b.png "t"), [c](https://x.org), `[d](e.md)`'),
    ).toEqual(['docs/a.md', 'b.png']);
    expect(markdown).toContain('README.md');
    expect([...anchors('# Layer plugins\n## Memory: what a layer keeps for `backward`\n')]).toEqual(
      ['layer-plugins', 'memory-what-a-layer-keeps-for-backward'],
    );
  });

  it.each(markdown)('%s links only to files in the repository', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const broken = relativeLinks(text).filter((t) => !existsSync(resolve(root, dirname(file), t)));
    expect(broken).toEqual([]);
  });

  it.each(markdown)('%s links only to headings that exist', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const missing = links(text).filter((t) => {
      const [path, heading] = t.split('#');
      if (!heading || !path.endsWith('.md')) return false;
      const target = resolve(root, dirname(file), path);
      return existsSync(target) && !anchors(readFileSync(target, 'utf8')).has(heading);
    });
    expect(missing).toEqual([]);
  });

  it('no file cites documents that are not in the repository', () => {
    const citing = tracked.filter((f) => {
      if (f === 'package-lock.json' || f.startsWith('test/fixtures/') || f.startsWith('data/'))
        return false;
      if (/\.(png|safetensors|onnx|bin|wasm)$/.test(f)) return false;
      const text = readFileSync(join(root, f), 'utf8');
      return /\bDESIGN\.md\b|\bSTYLE\.md\b|\.\.\/shared\//.test(text);
    });
    // This file names them only in its pattern.
    expect(citing.filter((f) => f !== 'test/unit/docs/links.test.ts')).toEqual([]);
  });
});
