// Plugin files and what the worker made of them: which loaded, which are broken and why, and the
// layers they add to the palette. The code itself runs only in the worker.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PluginSource } from '../../electron/ipc/channels';
import type { PickedPlugin } from '../host/host';
import type { PluginStatus } from '../worker/protocol-types';
import { loadDisabledPlugins, saveDisabledPlugins } from './disabled-plugins';
import { BUILTIN_LAYER_INFO, type LayerInfo, pluginLayerInfo } from './layer-catalog';
import {
  type KeptPlugin,
  type UserPlugin,
  askWhereToKeep,
  pickAndKeepPlugin,
  useSamePluginStore,
} from './same-plugin';
import { services } from './services';

export interface PaletteGroup {
  category: string;
  layers: LayerInfo[];
}

/** Built-in groups first, in the order the built-ins come; plugin categories follow alphabetically. */
const CATEGORY_ORDER = [...new Set(BUILTIN_LAYER_INFO.map((l) => l.category))];

export const usePluginsStore = defineStore('plugins', () => {
  const sources = shallowRef<PluginSource[]>([]);
  const statuses = shallowRef<PluginStatus[]>([]);
  /** Sent to the worker, statuses not back yet. */
  const loading = ref(false);
  /** A problem reaching the host (listing or loading plugin files). */
  const hostError = ref<string | null>(null);
  /** The layer types each file had when it last loaded, to explain nodes of a broken file. */
  const lastTypes = new Map<string, string[]>();
  /** Files switched off by the user: listed, not sent to the worker (disabled-plugins.ts). */
  const disabled = ref<string[]>(loadDisabledPlugins());
  /**
   * The file the user just loaded, once the worker has said how it went: the app announces it,
   * scrolls the palette to its layers and picks it in the Gradient check view. `seq` counts.
   */
  const justLoaded = ref<{ file: string; seq: number } | null>(null);
  let awaiting: string | null = null;
  let loads = 0;

  const pluginLayers = computed<LayerInfo[]>(() =>
    statuses.value.filter((s) => s.ok).flatMap((s) => s.layers.map(pluginLayerInfo)),
  );
  const layers = computed<LayerInfo[]>(() => [...BUILTIN_LAYER_INFO, ...pluginLayers.value]);
  const byType = computed(() => new Map(layers.value.map((l) => [l.type, l])));
  const broken = computed(() => statuses.value.filter((s) => !s.ok));
  /** The disabled files that are still there (a file that was deleted is not listed). */
  const disabledSources = computed(() =>
    sources.value.filter((s) => disabled.value.includes(s.file)),
  );

  const palette = computed<PaletteGroup[]>(() => groupLayers(layers.value));

  function layerInfo(type: string): LayerInfo | undefined {
    return byType.value.get(type);
  }

  /** Why a node of this type cannot be used: its plugin broke or went away. Null when fine. */
  function typeProblem(type: string): string | null {
    if (byType.value.has(type)) return null;
    for (const [file, types] of lastTypes) {
      if (!types.includes(type)) continue;
      if (disabled.value.includes(file))
        return `the plugin ${file} that defines ${type} is disabled: enable it in the Plugins tab`;
      const st = statuses.value.find((s) => s.file === file);
      if (!st) return `the plugin ${file} that defines ${type} is no longer loaded`;
      if (!st.ok)
        return `the plugin ${file} that defines ${type} is broken: ${st.error?.message ?? 'unknown error'}`;
    }
    return null;
  }

  /** Palette groups whose layers match the query (type, description or category). */
  function searchPalette(query: string): PaletteGroup[] {
    const q = query.trim().toLowerCase();
    if (!q) return palette.value;
    return groupLayers(
      layers.value.filter((l) =>
        [l.type, l.description, l.category].some((s) => s.toLowerCase().includes(q)),
      ),
    );
  }

  function send(): void {
    loading.value = true;
    services().worker.setPlugins(
      sources.value
        .filter((s) => !disabled.value.includes(s.file))
        .map((s) => ({ file: s.file, source: s.source })),
    );
  }

  function upsert(source: PluginSource): void {
    const rest = sources.value.filter((s) => s.file !== source.file);
    sources.value = [...rest, source];
  }

  /** Ask the host for every plugin file and send them to the worker. */
  async function refresh(): Promise<void> {
    try {
      sources.value = await services().host.listPlugins();
      hostError.value = null;
    } catch (e) {
      hostError.value = `the plugin files could not be listed: ${message(e)}`;
    }
    send();
  }

  /**
   * Pick a plugin file (a dialog, or a file input in the browser) and load it; when a user
   * plugin has its file name or its layer types, ask first (renderer/stores/same-plugin.ts).
   */
  async function loadPlugin(): Promise<PluginSource | null> {
    const same = useSamePluginStore();
    let result: KeptPlugin | null;
    try {
      result = await pickAndKeepPlugin({
        host: services().host,
        user: userPlugins(),
        layerTypes: readLayerTypes,
        ask: same.ask,
        tell: (m) => (same.notice = m),
      });
    } catch (e) {
      hostError.value = `the plugin could not be loaded: ${message(e)}`;
      return null;
    }
    if (!result) return null;
    const source = result.kept;
    const gone = new Set(result.replaced.map((n) => `user:${n}`));
    sources.value = sources.value.filter((s) => !gone.has(s.file));
    // Loading a file again is asking for it: it is enabled.
    if (disabled.value.includes(source.file)) setDisabled(source.file, false);
    upsert(source);
    awaiting = source.file;
    send();
    return result.kept;
  }

  /** The user's plugin files and the layer types each defines (or last defined, if broken). */
  function userPlugins(): UserPlugin[] {
    return sources.value
      .filter((s) => s.origin === 'user')
      .map((s) => {
        const st = statuses.value.find((x) => x.file === s.file);
        const types = st?.ok ? st.layers.map((l) => l.type) : (lastTypes.get(s.file) ?? []);
        return { name: s.file.slice('user:'.length), types };
      });
  }

  /** A picked file's layer types, read by the worker; null when it does not load. */
  async function readLayerTypes(p: PickedPlugin): Promise<string[] | null> {
    const { worker } = services();
    const file = `user:${p.name}`;
    try {
      const reply = await worker.request({
        type: 'pluginTypes',
        id: worker.nextId(),
        file,
        source: p.source,
      });
      return reply.type === 'pluginTypes' ? reply.types : null;
    } catch {
      return null; // the worker hung on it and was replaced: the file's own load will say why
    }
  }

  /**
   * Use this source for a plugin file in this session only (a lesson's plugin, the student's
   * fix of it): nothing is written; the worker loads it like any other file.
   */
  function useSource(source: PluginSource): void {
    upsert(source);
    send();
  }

  /**
   * Keep a file written in the layer editor (the plugin folder, or the browser's storage) and
   * load it: the palette and every network using its layers pick it up. When another user
   * plugin has its name or defines one of its layer types, ask first, as Load plugin… does
   * (renderer/stores/same-plugin.ts); `editing` is the file the editor last saved (its own,
   * not asked about). Answers the file kept, the files it replaced and the layer types it
   * defines; null when the user cancels. Throws the host's problem (the editor shows it
   * and keeps the text).
   */
  async function savePlugin(
    name: string,
    source: string,
    o: { editing?: string | null } = {},
  ): Promise<{ saved: PluginSource; replaced: string[]; types: string[] } | null> {
    const user = userPlugins().filter((u) => u.name !== o.editing);
    // Read by the worker like a picked file's: the draft's own check fails on a clash.
    const types = await readLayerTypes({ name, source });
    const place = await askWhereToKeep(name, types, user, useSamePluginStore().ask);
    if (!place) return null;
    const saved = await services().host.savePlugin(place.name, source, place.replaces);
    const gone = new Set(place.replaces.map((n) => `user:${n}`));
    sources.value = sources.value.filter((s) => !gone.has(s.file));
    if (disabled.value.includes(saved.file)) setDisabled(saved.file, false);
    upsert(saved);
    send();
    return { saved, replaced: place.replaces, types: types ?? [] };
  }

  /**
   * What loading this text as `file` would give (its gradient check included), from the worker,
   * without loading it: the layer editor's live check.
   */
  async function checkDraft(file: string, source: string): Promise<PluginStatus> {
    const worker = services().worker;
    const reply = await worker.request({ type: 'checkPlugin', id: worker.nextId(), file, source });
    if (reply.type === 'pluginChecked') return reply.status;
    if (reply.type === 'error') throw new Error(reply.error.message);
    throw new Error(`unexpected answer ${reply.type} from the training worker`);
  }

  /** Forget a plugin loaded by hand (browser only). */
  async function removePlugin(file: string): Promise<void> {
    try {
      await services().host.removePlugin?.(file);
    } catch (e) {
      hostError.value = `the plugin ${file} could not be removed: ${message(e)}`;
      return;
    }
    sources.value = sources.value.filter((s) => s.file !== file);
    if (disabled.value.includes(file)) {
      disabled.value = disabled.value.filter((f) => f !== file);
      saveDisabledPlugins(disabled.value);
    }
    send();
  }

  /** Switch a file off (it stays listed, its layers leave the palette) or on again. */
  function setDisabled(file: string, off: boolean): void {
    const rest = disabled.value.filter((f) => f !== file);
    disabled.value = off ? [...rest, file] : rest;
    saveDisabledPlugins(disabled.value);
    send();
  }

  async function openFolder(): Promise<void> {
    await services().host.openPluginFolder?.();
  }

  function receive(list: PluginStatus[]): void {
    for (const s of list)
      if (s.ok)
        lastTypes.set(
          s.file,
          s.layers.map((l) => l.type),
        );
    statuses.value = list;
    loading.value = false;
    if (awaiting !== null && list.some((s) => s.file === awaiting)) {
      justLoaded.value = { file: awaiting, seq: ++loads };
      awaiting = null;
    }
  }

  let started = false;
  /** Load the plugins and follow changes in the user's plugin folder. Idempotent. */
  async function init(): Promise<void> {
    if (started) return;
    started = true;
    const { host } = services();
    host.onPluginsChanged(({ file, source }) => {
      if (source === null) sources.value = sources.value.filter((s) => s.file !== file);
      else upsert({ file, origin: file.startsWith('app:') ? 'app' : 'user', source });
      send();
    });
    await refresh();
  }

  services().worker.subscribe((msg) => {
    if (msg.type === 'plugins') receive(msg.statuses);
  });

  return {
    sources,
    statuses,
    loading,
    hostError,
    pluginLayers,
    layers,
    broken,
    disabled,
    disabledSources,
    justLoaded,
    palette,
    layerInfo,
    typeProblem,
    searchPalette,
    init,
    refresh,
    loadPlugin,
    useSource,
    savePlugin,
    checkDraft,
    removePlugin,
    setDisabled,
    openFolder,
  };
});

function groupLayers(layers: LayerInfo[]): PaletteGroup[] {
  const groups = new Map<string, LayerInfo[]>();
  for (const l of layers) groups.set(l.category, [...(groups.get(l.category) ?? []), l]);
  const rank = (c: string) => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([category, list]) => ({ category, layers: list }));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
