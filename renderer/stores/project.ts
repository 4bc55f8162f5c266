// The project as a document: where it is saved, whether it has unsaved changes, open, save,
// recent files, and the autosave that keeps a crash from losing work.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import xorExample from '../../examples/xor.json';
import type { ProjectInput } from '../../core/graph/schema';
import { looseGraphIssues } from '../../core/graph/loose-check';
import { ProjectError, parseProject, parseProjectText } from '../../core/graph/parse';
import { isLabError } from '../../core/util/errors';
import type { ProjectIssue } from '../worker/protocol-types';
import { emptyProject, useGraphStore } from './graph';
import { services } from './services';
import { fileStem } from './file-names';
import { withUsedPlugins } from './project-plugins';
import { usePluginsStore } from './plugins';
import { useTrainingStore } from './training';
import { tidyLayout } from './graph-layout';
import { importOnnx, type ImportedModel } from '../../core/import/import-onnx';

/** Why a file could not be opened; the project on screen stays as it was. */
export interface FileProblems {
  file: string;
  message: string;
  /** Every problem found, one line each. */
  problems: string[];
  /** The same problems with their field paths (schema problems). */
  issues: ProjectIssue[];
  line?: number;
  column?: number;
}

/** An autosave from an earlier session that differs from what is open now. */
export interface RestoreOffer {
  project: ProjectInput;
  /** Where the autosaved project was saved before, if anywhere. */
  path: string | null;
  savedAt: string;
}

const AUTOSAVE_FORMAT = 'backprop-lab.autosave';

interface AutosaveFile {
  format: typeof AUTOSAVE_FORMAT;
  version: 1;
  savedAt: string;
  path: string | null;
  project: ProjectInput;
}

export const EXAMPLE_PROJECT = xorExample as ProjectInput;

export const useProjectStore = defineStore('project', () => {
  const graph = useGraphStore();

  /** Where the project is saved (Electron), or null (new, or in a browser). */
  const path = ref<string | null>(null);
  /** The file's name (xor.json), or null before the first save. */
  const fileName = ref<string | null>(null);
  const recent = ref<string[]>([]);
  const fileProblems = shallowRef<FileProblems | null>(null);
  const restoreOffer = shallowRef<RestoreOffer | null>(null);
  /** A problem while saving or talking to the host. */
  const hostError = ref<string | null>(null);
  /** Idle time after a change before the autosave is written. */
  const autosaveDelayMs = ref(3000);
  /** Ask before unsaved changes are dropped; the UI may replace it with its own dialog. */
  let confirmDiscard: () => Promise<boolean> = async () =>
    typeof window !== 'undefined' && typeof window.confirm === 'function'
      ? window.confirm('Discard the unsaved changes to this project?')
      : true;

  const name = computed(() => graph.project.name ?? 'Untitled');
  const dirty = computed(() => graph.dirty);
  const title = computed(() => `${name.value}${dirty.value ? ' •' : ''}`);

  function setConfirmDiscard(f: () => Promise<boolean>): void {
    confirmDiscard = f;
  }

  async function mayDiscard(): Promise<boolean> {
    return !graph.dirty || confirmDiscard();
  }

  function opened(project: ProjectInput, file: { path?: string | null; name: string | null }) {
    graph.load(project);
    path.value = file.path ?? null;
    fileName.value = file.name;
    fileProblems.value = null;
    void clearAutosave();
  }

  /** Read and check a project file's text: on problems, list them and keep the current project. */
  function accept(text: string, file: { name: string; path?: string }): boolean {
    let project: ProjectInput;
    try {
      project = parseProjectText(text, file.name);
    } catch (e) {
      const problems = describeProblems(e, file.name);
      if (e instanceof ProjectError && e.code === 'PROJECT_SCHEMA') {
        // The network's own mistakes too, so that one look shows every problem of the file.
        const known = new Set(usePluginsStore().layers.map((l) => l.type));
        const more = looseGraphIssues(JSON.parse(text), known).filter(
          (i) => !problems.issues.some((p) => p.path === i.path),
        );
        problems.issues = [...problems.issues, ...more];
        problems.problems = [...problems.problems, ...more.map((i) => `${i.path}: ${i.message}`)];
      }
      fileProblems.value = problems;
      return false;
    }
    opened(project, { path: file.path, name: file.name });
    return true;
  }

  /**
   * Import an ONNX model as a new, unsaved project with its weights loaded (training starts from
   * them). A model the engine cannot express is listed as the file's problem, naming the node.
   */
  function acceptModel(bytes: Uint8Array, name: string): boolean {
    let imported: ImportedModel;
    try {
      imported = importOnnx(bytes, name);
    } catch (e) {
      fileProblems.value = describeProblems(e, name);
      return false;
    }
    const project = imported.project.layout
      ? imported.project
      : { ...imported.project, layout: tidyLayout(imported.project) };
    graph.load(project, { dirty: true });
    path.value = null;
    fileName.value = null;
    fileProblems.value = null;
    useTrainingStore().useImportedWeights(imported, graph.project, name);
    return true;
  }

  async function open(): Promise<boolean> {
    if (!(await mayDiscard())) return false;
    const { host } = services();
    const file = await host.openProject();
    if (!file) return false;
    const ok = 'bytes' in file ? acceptModel(file.bytes, file.name) : accept(file.text, file);
    await refreshRecent();
    return ok;
  }

  async function openRecent(p: string): Promise<boolean> {
    if (!(await mayDiscard())) return false;
    let file;
    try {
      file = await services().host.openRecent(p);
    } catch (e) {
      fileProblems.value = describeProblems(e, p);
      return false;
    }
    if (!file) return false;
    return accept(file.text, file);
  }

  /** Start over with an empty canvas. */
  async function newProject(): Promise<boolean> {
    if (!(await mayDiscard())) return false;
    opened(emptyProject(), { name: null });
    return true;
  }

  /** Open the built-in XOR example. */
  async function openExample(): Promise<boolean> {
    if (!(await mayDiscard())) return false;
    opened(parseProject(EXAMPLE_PROJECT), { name: null });
    return true;
  }

  /** Save (to the known path; otherwise asks where). False when cancelled or failed. */
  async function save(saveAs = false): Promise<boolean> {
    const project = graph.project;
    const text = `${JSON.stringify(withUsedPlugins(project, usePluginsStore().layerInfo), null, 2)}\n`;
    const suggestedName = fileName.value ?? `${fileStem(project.name ?? 'untitled')}.json`;
    let result;
    try {
      result = await services().host.saveProject(text, {
        path: path.value ?? undefined,
        saveAs,
        suggestedName,
      });
    } catch (e) {
      hostError.value = `the project could not be saved: ${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
    if (!result) return false;
    hostError.value = null;
    path.value = result.path ?? null;
    fileName.value = result.name;
    // What was saved, even if an edit came in while the host was writing.
    if (graph.project === project) graph.markSaved();
    await clearAutosave();
    await refreshRecent();
    return true;
  }

  const saveAs = () => save(true);

  async function refreshRecent(): Promise<void> {
    try {
      recent.value = await services().host.recentProjects();
    } catch {
      // The list is a convenience: without it, File › Open still works.
    }
  }

  // ---- autosave ----

  let timer: ReturnType<typeof setTimeout> | null = null;
  let autosaved = false;

  async function writeAutosave(): Promise<void> {
    timer = null;
    if (!graph.dirty || restoreOffer.value) return;
    const file: AutosaveFile = {
      format: AUTOSAVE_FORMAT,
      version: 1,
      savedAt: new Date().toISOString(),
      path: path.value,
      project: graph.project,
    };
    try {
      await services().host.autosave.write(JSON.stringify(file));
      autosaved = true;
    } catch (e) {
      hostError.value = `autosave failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  async function clearAutosave(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (!autosaved) return;
    autosaved = false;
    try {
      await services().host.autosave.clear();
    } catch {
      // An autosave left behind is offered once more at the next start; nothing is lost.
    }
  }

  /** Write the autosave now instead of after the idle delay (before the window closes). */
  async function flushAutosave(): Promise<void> {
    if (timer === null) return;
    clearTimeout(timer);
    await writeAutosave();
  }

  watch(
    () => graph.revision,
    () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (graph.dirty) timer = setTimeout(() => void writeAutosave(), autosaveDelayMs.value);
      else void clearAutosave();
    },
  );

  watch(dirty, (d) => services().host.setDirty(d), { immediate: true });

  /** Take up the autosaved project (unsaved, at its old path if it had one). */
  function restore(): void {
    const offer = restoreOffer.value;
    if (!offer) return;
    restoreOffer.value = null;
    graph.load(offer.project, { dirty: true });
    path.value = offer.path;
    fileName.value = offer.path ? baseName(offer.path) : null;
    autosaved = true;
  }

  /** Forget the autosave from the earlier session. */
  async function dismissRestore(): Promise<void> {
    restoreOffer.value = null;
    autosaved = true;
    await clearAutosave();
    if (graph.dirty) timer = setTimeout(() => void writeAutosave(), autosaveDelayMs.value);
  }

  let started = false;
  /**
   * At start: open the XOR example, and offer the autosave of an earlier session if there is
   * one that differs from it.
   */
  async function init(): Promise<void> {
    if (started) return;
    started = true;
    graph.load(parseProject(EXAMPLE_PROJECT));
    const { host } = services();
    await refreshRecent();
    let text: string | null;
    try {
      text = await host.autosave.read();
    } catch {
      return;
    }
    if (text === null) return;
    const offer = readAutosave(text);
    autosaved = true;
    if (offer && !sameProject(offer.project, graph.project)) restoreOffer.value = offer;
    else await clearAutosave();
  }

  function clearFileProblems(): void {
    fileProblems.value = null;
  }

  return {
    path,
    fileName,
    recent,
    fileProblems,
    restoreOffer,
    hostError,
    autosaveDelayMs,
    name,
    dirty,
    title,
    init,
    open,
    openRecent,
    newProject,
    openExample,
    save,
    saveAs,
    restore,
    dismissRestore,
    flushAutosave,
    clearFileProblems,
    setConfirmDiscard,
    accept,
  };
});

function describeProblems(e: unknown, file: string): FileProblems {
  if (e instanceof ProjectError) {
    return {
      file,
      message: e.message,
      problems: e.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)),
      issues: e.issues,
    };
  }
  if (isLabError(e)) {
    return {
      file,
      message: e.message,
      problems: e.problems,
      issues: [],
      line: e.place.line,
      column: e.place.column,
    };
  }
  const message = `${file}: ${e instanceof Error ? e.message : String(e)}`;
  return { file, message, problems: [message], issues: [] };
}

function readAutosave(text: string): RestoreOffer | null {
  try {
    const v = JSON.parse(text) as Partial<AutosaveFile>;
    if (v.format !== AUTOSAVE_FORMAT) return null;
    // Kept as it was, even with problems: the builder shows them and the user's work is back.
    const p = v.project as Partial<ProjectInput> | undefined;
    if (typeof p !== 'object' || p === null || !Array.isArray(p.nodes)) return null;
    if (!p.nodes.every((n) => typeof n?.id === 'string' && typeof n.type === 'string')) return null;
    return {
      project: p as ProjectInput,
      path: typeof v.path === 'string' ? v.path : null,
      savedAt: typeof v.savedAt === 'string' ? v.savedAt : '',
    };
  } catch {
    return null;
  }
}

function sameProject(a: ProjectInput, b: ProjectInput): boolean {
  const norm = (p: ProjectInput) => {
    try {
      return JSON.stringify(parseProject(p));
    } catch {
      return JSON.stringify(p);
    }
  };
  return norm(a) === norm(b);
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}
