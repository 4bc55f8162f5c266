// Completion of the plugin API in the layer editor: what follows `ctx.`, `ctx.ops.`, `ctx.rng.`
// and a tensor's `.shape`/`.data`/`.size`, with each member's declaration and doc comment as
// plugins/api.d.ts writes them (renderer/editor/plugin-api.generated.ts, made from that file).
import type { ApiMember } from './api-member';
import { PLUGIN_API } from './plugin-api.generated';

export interface ApiCompletion {
  /** Where the word being completed starts (an offset into the text). */
  from: number;
  members: ApiMember[];
}

/** Names a layer's functions give tensors: the inputs, the gradients, what was saved. */
const TENSOR_NAMES = /^(x|y|gy|gx|g[a-z]\w*|t|s|w|a|b|out|input|weight|bias)$/;

/**
 * The API members to offer at the end of `before` (the text up to the cursor), or null when
 * the cursor is not after one of the known objects.
 */
export function apiCompletion(before: string): ApiCompletion | null {
  const m = /(?:^|[^\w$.])((?:ctx(?:\.ops|\.rng)?)|[A-Za-z_$][\w$]*(?:\[\d+\])?)\.([\w$]*)$/.exec(
    before,
  );
  if (!m) return null;
  const [, object, word] = m;
  const from = before.length - word.length;
  const members =
    object === 'ctx'
      ? PLUGIN_API.LayerContext
      : object === 'ctx.ops'
        ? PLUGIN_API.Ops
        : object === 'ctx.rng'
          ? PLUGIN_API.Rng
          : TENSOR_NAMES.test(object.replace(/\[\d+\]$/, '')) || /\[\d+\]$/.test(object)
            ? PLUGIN_API.Tensor
            : null;
  if (!members) return null;
  return { from, members: members.filter((x) => x.name.startsWith(word)) };
}
