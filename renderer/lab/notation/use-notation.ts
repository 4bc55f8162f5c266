// The notation of the network the open Lab view shows: its glossary and its symbols by node.
// Views and parts call this instead of spelling symbols; a lesson can call it too.
import { computed } from 'vue';
import { useGraphStore } from '../../stores/graph';
import { useLabStore } from '../../stores/lab';
import type { NodeInfo } from '../inspect-types';
import { type Glossary, glossary } from './glossary';
import * as S from './symbols';

const EMPTY: NodeInfo[] = [];

export function useNotation() {
  const lab = useLabStore();
  const graph = useGraphStore();
  const nodes = computed(() => lab.current?.nodes ?? EMPTY);
  const terms = computed<Glossary>(() =>
    lab.current ? glossary(lab.current.nodes, lab.current.loss, graph.project.output) : new Map(),
  );
  return {
    nodes,
    glossary: terms,
    /** The symbol of node `id`'s output (x, h̃⁽ᵏ⁾, h⁽ᵏ⁾, ỹ, ŷ). */
    output: (id: string) => S.outputSymbol(nodes.value, id),
    /** Its pre-activation (h̃⁽ᵏ⁾ or ỹ), by the network's layer numbering. */
    pre: (id: string) => S.preActivation(nodes.value, id),
    /** Its post-activation (h⁽ᵏ⁾ or ŷ). */
    post: (id: string) => S.postActivation(nodes.value, id),
    /** The loss's gradient at its output (δ⁽ᵏ⁾ at a linear layer). */
    error: (id: string) => S.errorSymbol(nodes.value, id),
    /** The same in words, for accessible names ("Local error δ⁽¹⁾"). */
    errorWords: (id: string) => S.errorWords(nodes.value, id),
    /** A linear node's weight W⁽ᵏ⁾, or a weight by its name (W⁽ᵏ⁾, b⁽ᵏ⁾, or the name). */
    weight: (id: string, name = 'weight') => S.paramSymbol(nodes.value, id, name),
    layer: (id: string) => S.layerOf(nodes.value, id),
  };
}
