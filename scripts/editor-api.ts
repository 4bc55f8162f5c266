// The layer editor's completion of the plugin API, derived from plugins/api.d.ts: run after the
// types change (`node --import tsx scripts/editor-api.ts`); a test fails while the generated file
// is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import ts from 'typescript';

import type { ApiMember } from '../renderer/editor/api-member';

/** The interfaces whose members the editor completes: ctx, ctx.ops, ctx.rng, a tensor. */
export const COMPLETED_INTERFACES = ['LayerContext', 'Ops', 'Rng', 'Tensor'] as const;

/** Every member of each completed interface in `source` (the text of plugins/api.d.ts). */
export function readPluginApi(source: string): Record<string, ApiMember[]> {
  const file = ts.createSourceFile('api.d.ts', source, ts.ScriptTarget.Latest, true);
  const out: Record<string, ApiMember[]> = {};
  file.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const name = node.name.text;
    if (!(COMPLETED_INTERFACES as readonly string[]).includes(name)) return;
    out[name] = node.members.flatMap((m): ApiMember[] => {
      if (!m.name || !(ts.isPropertySignature(m) || ts.isMethodSignature(m))) return [];
      const doc = ts
        .getJSDocCommentsAndTags(m)
        .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      const detail = m
        .getText(file)
        .replace(/;$/, '')
        .replace(/^readonly /, '')
        .replace(/\s+/g, ' ');
      return [
        {
          name: m.name.getText(file),
          kind: ts.isMethodSignature(m) ? 'method' : 'property',
          detail,
          doc,
        },
      ];
    });
  });
  for (const want of COMPLETED_INTERFACES)
    if (!out[want]) throw new Error(`plugins/api.d.ts has no interface ${want}`);
  return out;
}

/** The generated module's text, formatted as the repository's prettier formats it. */
export async function pluginApiModule(source: string): Promise<string> {
  const api = readPluginApi(source);
  const text = `// Generated from plugins/api.d.ts by scripts/editor-api.ts: do not edit by hand.
import type { ApiMember } from './api-member';

export const PLUGIN_API: Record<'${COMPLETED_INTERFACES.join("' | '")}', ApiMember[]> = ${JSON.stringify(api, null, 2)};
`;
  const options = (await prettier.resolveConfig(GENERATED)) ?? {};
  return prettier.format(text, { ...options, filepath: GENERATED });
}

export const API_TYPES = fileURLToPath(new URL('../plugins/api.d.ts', import.meta.url));
export const GENERATED = fileURLToPath(
  new URL('../renderer/editor/plugin-api.generated.ts', import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED, await pluginApiModule(readFileSync(API_TYPES, 'utf8')));
  console.log(`wrote ${GENERATED}`);
}
