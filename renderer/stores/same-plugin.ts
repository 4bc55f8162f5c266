// Loading a plugin, or saving one from the layer editor, whose file name or layer types a user
// plugin already has: the user is asked (Replace / Keep both / Cancel,
// renderer/panels/plugins/SamePluginDialog.vue) before anything is kept, and told where a plugin
// kept beside another went.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { PluginSource } from '../../electron/ipc/channels';
import type { Host, PickedPlugin } from '../host/host';

/** A user plugin file already there: its file name and the layer types it defines. */
export interface UserPlugin {
  name: string;
  types: string[];
}

/** What the dialog asks about. */
export interface SamePluginQuestion {
  /** The picked file's name. */
  name: string;
  /** A user plugin has this file name. */
  sameName: boolean;
  /** Other user plugin files defining a layer type the picked file defines, with those types. */
  sameTypes: UserPlugin[];
  /** Where "Keep both" keeps it: its own name when that is free, else the first free `name-N`. */
  freeName: string;
}

export type SamePluginAnswer = 'replace' | 'keepBoth' | 'cancel';

/** The question for a picked file, or null when nothing of it is taken. */
export function samePluginQuestion(
  name: string,
  types: string[] | null,
  user: UserPlugin[],
): SamePluginQuestion | null {
  const sameName = user.some((u) => u.name === name);
  const sameTypes = (types ?? []).length
    ? user
        .filter((u) => u.name !== name)
        .map((u) => ({ name: u.name, types: u.types.filter((t) => types!.includes(t)) }))
        .filter((u) => u.types.length > 0)
    : [];
  if (!sameName && sameTypes.length === 0) return null;
  const freeName = sameName ? freePluginName(name, new Set(user.map((u) => u.name))) : name;
  return { name, sameName, sameTypes, freeName };
}

/** gated-sum.js → gated-sum-2.js (or -3, … : the first name not taken). */
export function freePluginName(name: string, taken: ReadonlySet<string>): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Where a plugin file goes once asked: the name it is kept under and the user files it replaces. */
export interface Placement {
  name: string;
  replaces: string[];
}

/**
 * Ask (when its name or its layer types are taken) where a plugin file named `name` goes: its
 * own name, replacing what the user chose to replace, or a free name beside it. Null when the
 * user cancels. Loading a picked file and the layer editor's Save both ask through this.
 */
export async function askWhereToKeep(
  name: string,
  types: string[] | null,
  user: UserPlugin[],
  ask: (q: SamePluginQuestion) => Promise<SamePluginAnswer>,
): Promise<Placement | null> {
  const q = samePluginQuestion(name, types, user);
  if (!q) return { name, replaces: [] };
  const answer = await ask(q);
  if (answer === 'cancel') return null;
  if (answer === 'replace') return { name, replaces: q.sameTypes.map((u) => u.name) };
  return { name: q.freeName, replaces: [] };
}

/** The note when a file was kept under another name than its own. */
export function keptAsNote(asked: string, kept: string): string | null {
  return asked === kept
    ? null
    : `Kept ${asked} as ${kept}: a plugin named ${asked} is already loaded.`;
}

/** What loading a picked plugin did: the file kept, and the user files it replaced. */
export interface KeptPlugin {
  kept: PluginSource;
  replaced: string[];
}

export interface PickOptions {
  host: Pick<Host, 'pickPlugin' | 'keepPlugin'>;
  /** The user plugins there now. */
  user: UserPlugin[];
  /** The layer types the picked file defines (null: unknown, it does not load). */
  layerTypes(p: PickedPlugin): Promise<string[] | null>;
  ask(q: SamePluginQuestion): Promise<SamePluginAnswer>;
  /** Told where a plugin kept beside another went. */
  tell?(message: string): void;
}

/** Pick a plugin file, ask when its name or types are taken, keep it as answered. */
export async function pickAndKeepPlugin(o: PickOptions): Promise<KeptPlugin | null> {
  const picked = await o.host.pickPlugin();
  if (!picked) return null;
  const place = await askWhereToKeep(picked.name, await o.layerTypes(picked), o.user, o.ask);
  if (!place) return null;
  const kept = await o.host.keepPlugin(picked, place);
  const note = keptAsNote(picked.name, place.name);
  if (note) o.tell?.(note);
  return { kept, replaced: place.replaces };
}

/** The open question (the dialog shows it) and the last note about where a plugin went. */
export const useSamePluginStore = defineStore('samePlugin', () => {
  const question = shallowRef<SamePluginQuestion | null>(null);
  const notice = ref<string | null>(null);
  let resolve: ((a: SamePluginAnswer) => void) | null = null;

  function ask(q: SamePluginQuestion): Promise<SamePluginAnswer> {
    resolve?.('cancel');
    question.value = q;
    return new Promise((r) => (resolve = r));
  }

  function answer(a: SamePluginAnswer): void {
    const r = resolve;
    resolve = null;
    question.value = null;
    r?.(a);
  }

  return { question, notice, ask, answer };
});
