// The project as a document: where it is saved, whether it has unsaved changes, open, save,
// recent files, and the autosave that keeps a crash from losing work.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import xorExample from '../../examples/xor.json';
import type { ProjectInput } from '../../core/graph/schema';
import { looseGraphIssues } from '../../core/graph/loose-check';
import { ProjectError, parseProject } from '../../core/graph/parse';
import {
  type ProjectDocument,
  parseProjectDocumentText,
  projectDocumentText,
} from '../../core/project/document';
import { decodeTrained, trainedText } from '../../core/project/trained-section';
import type { SavedRun } from '../worker/protocol';
import type { TrainerState } from '../../core/train/trainer-state';
import { isLabError } from '../../core/util/errors';
import type { ProjectIssue } from '../worker/protocol-types';
import { emptyProject, useGraphStore } from './graph';
import { services } from './services';
import { fileStem } from './file-names';
import { withUsedPlugins } from './project-plugins';
import { usePluginsStore } from './plugins';
import { keepLastProject } from './last-project';
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
  /** Its training, when it had one that reads. */
  trained: TrainerState | null;
}

const AUTOSAVE_FORMAT = 'backprop-lab.autosave';
/** Within a second of every change: well under it, so that the write itself fits too. */
export const AUTOSAVE_DELAY_MS = 500;

interface AutosaveFile {
  format: typeof AUTOSAVE_FORMAT;
  version: 1;
  savedAt: string;
  path: string | null;
  project: ProjectInput;
  /** The run kept with the project (a project file's `trained` section), last. */
  trained?: unknown;
}

export const EXAMPLE_PROJECT = xorExample as ProjectInput;

export const useProjectStore = defineStore('project', () => {
  const graph = useGraphStore();
  const training = useTrainingStore();

  /** Where the project is saved (Electron), or null (new, or in a browser). */
  const path = ref<string | null>(null);
  /** The file's name (xor.json), or null before the first save. */
  const fileName = ref<string | null>(null);
  const recent = ref<string[]>([]);
  const fileProblems = shallowRef<FileProblems | null>(null);
  const restoreOffer = shallowRef<RestoreOffer | null>(null);
  /** A problem while saving or talking to the host. */
  const hostError = ref<string | null>(null);
  /**
   * The longest a change waits for the autosave: it is written this long after the first change
   * it has not got yet, however many changes follow (a crash loses at most this much work), and
   * at once when the page is hidden or goes away.
   */
  const autosaveDelayMs = ref(AUTOSAVE_DELAY_MS);
  /** Ask before unsaved changes are dropped; the UI may replace it with its own dialog. */
  let confirmDiscard: () => Promise<boolean> = async () =>
    typeof window !== 'undefined' && typeof window.confirm === 'function'
      ? window.confirm('Discard the unsaved changes to this project?')
      : true;

  const name = computed(() => graph.project.name ?? 'Untitled');
  // The training counts: a run not saved with the project is work that a close would lose.
  const dirty = computed(() => graph.dirty || training.unsavedTraining);
  const title = computed(() => `${name.value}${dirty.value ? ' •' : ''}`);

  function setConfirmDiscard(f: () => Promise<boolean>): void {
    confirmDiscard = f;
  }

  async function mayDiscard(): Promise<boolean> {
    return !dirty.value || confirmDiscard();
  }

  /** The training store taking up the last opened project's training. */
  let trainingOpened: Promise<void> = Promise.resolve();

  function opened(
    project: ProjectInput,
    file: { path?: string | null; name: string | null },
    doc: Pick<ProjectDocument, 'trained' | 'trainedError'> | null = null,
    o: { dirty?: boolean } = {},
  ) {
    graph.load(project, { dirty: o.dirty ?? false });
    trainingOpened = training.opened(doc, project);
    path.value = file.path ?? null;
    fileName.value = file.name;
    fileProblems.value = null;
    void clearAutosave();
  }

  /**
   * Read and check a project file's text: on problems, list them and keep the current project.
   * Its saved training comes along (or, if it cannot be used, the reason: the project opens).
   */
  function accept(
    text: string,
    file: { name: string; path?: string },
    o: { dirty?: boolean; untitled?: boolean } = {},
  ): boolean {
    let doc: ProjectDocument;
    try {
      doc = parseProjectDocumentText(text, file.name);
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
    opened(doc.project, { path: file.path, name: o.untitled ? null : file.name }, doc, o);
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
    const ok = accept(file.text, file);
    await refreshRecent();
    return ok;
  }

  /** Start over with an empty canvas. */
  async function newProject(): Promise<boolean> {
    if (!(await mayDiscard())) return false;
    opened(emptyProject(), { name: null });
    return true;
  }

  /** Open the built-in XOR example. */
  function openExample(): Promise<boolean> {
    return openBuiltIn(EXAMPLE_PROJECT);
  }

  /**
   * Open a project that comes with the app (the example, a lesson's), untitled, with no run:
   * asks first when unsaved changes would go. False when the user keeps them.
   */
  async function openBuiltIn(p: ProjectInput): Promise<boolean> {
    if (!(await mayDiscard())) return false;
    opened(parseProject(p), { name: null });
    await trainingOpened;
    return true;
  }

  /** Save (to the known path; otherwise asks where). False when cancelled or failed. */
  async function save(saveAs = false): Promise<boolean> {
    const project = graph.project;
    // With the run kept with it (during training: as it is now), so that it reopens trained.
    const trained = await training.trainedForSave();
    const trainedVersion = training.trainedVersion;
    const text = documentText(project, trained);
    const tooLong = tooLongFor(text);
    if (tooLong) {
      hostError.value = `the project could not be saved: ${tooLong}`;
      return false;
    }
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
    training.markTrainedSaved(trainedVersion);
    await clearAutosave();
    await refreshRecent();
    return true;
  }

  const saveAs = () => save(true);

  /** Why the host cannot write this text (it is longer than its limit), or null. */
  function tooLongFor(text: string): string | null {
    const max = services().host.maxProjectText;
    if (max === undefined || text.length <= max) return null;
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    const epochs = training.trained?.epoch ?? 0;
    return `with its training it is ${mb(text.length)}, more than a project file may hold (${mb(max)})${epochs ? `; the history of ${epochs.toLocaleString('en-US')} epochs takes most of it (export the weights, or Reset and train fewer epochs)` : ''}`;
  }

  /** The project file's text: the project, the plugin files its nodes use, its training. */
  function documentText(project: ProjectInput, trained: SavedRun | null): string {
    return projectDocumentText(
      withUsedPlugins(project, usePluginsStore().layerInfo),
      trained?.text ?? null,
    );
  }

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
  /** The write under way: the next waits for it, so that an older text never lands last. */
  let writing: Promise<void> = Promise.resolve();

  /** Write the autosave in at most autosaveDelayMs, unless a write is already due. */
  function scheduleAutosave(): void {
    if (timer === null && dirty.value) {
      timer = setTimeout(() => void writeAutosave(), autosaveDelayMs.value);
    }
  }

  function writeAutosave(): Promise<void> {
    timer = null;
    writing = writing.then(writeAutosaveNow).catch((e: unknown) => {
      hostError.value = `autosave failed: ${e instanceof Error ? e.message : String(e)}`;
    });
    return writing;
  }

  /** The state the autosave last got (graph revision, training snapshot), or null. */
  let written: string | null = null;
  const stateKey = () => `${graph.revision}:${training.trainedVersion}`;

  async function writeAutosaveNow(): Promise<void> {
    if (!dirty.value || restoreOffer.value) return;
    const key = stateKey();
    const file: AutosaveFile = {
      format: AUTOSAVE_FORMAT,
      version: 1,
      savedAt: new Date().toISOString(),
      path: path.value,
      project: graph.project,
    };
    // The training's text (the worker made it) joins the rest as it is.
    const run = training.trained;
    const head = JSON.stringify(file);
    const text = run ? `${head.slice(0, -1)},"trained":${run.text}}` : head;
    const tooLong = tooLongFor(text);
    if (tooLong) {
      hostError.value = `autosave failed: ${tooLong}`;
      return;
    }
    try {
      await services().host.autosave.write(text);
      autosaved = true;
      written = key;
    } catch (e) {
      hostError.value = `autosave failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Forget the autosave (after the write under way, which would otherwise bring it back). */
  function clearAutosave(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    writing = writing.then(async () => {
      written = null;
      if (!autosaved) return;
      autosaved = false;
      try {
        await services().host.autosave.clear();
      } catch {
        // An autosave left behind is offered once more at the next start; nothing is lost.
      }
    });
    return writing;
  }

  /** Write the autosave now instead of when it is due (the page is hidden or closing). */
  async function flushAutosave(): Promise<void> {
    // A change made just now may not have scheduled its write yet (watchers run a tick later).
    if (timer === null && (written === stateKey() || !dirty.value)) return writing;
    if (timer !== null) clearTimeout(timer);
    await writeAutosave();
  }

  // Every change is written within autosaveDelayMs: a later change does not push a due write
  // back (a steady stream of edits, or a run's snapshots, is saved as it goes).
  watch(
    () => graph.revision,
    () => {
      if (dirty.value) scheduleAutosave();
      else void clearAutosave();
    },
  );
  watch(() => training.trainedVersion, scheduleAutosave);

  watch(dirty, (d) => services().host.setDirty(d), { immediate: true });

  /** Take up the autosaved project (unsaved, at its old path if it had one). */
  function restore(): void {
    const offer = restoreOffer.value;
    if (!offer) return;
    restoreOffer.value = null;
    graph.load(offer.project, { dirty: true });
    void training.opened({ trained: offer.trained, trainedError: null }, offer.project);
    path.value = offer.path;
    fileName.value = offer.path ? baseName(offer.path) : null;
    autosaved = true;
  }

  /** Forget the autosave from the earlier session. */
  async function dismissRestore(): Promise<void> {
    restoreOffer.value = null;
    autosaved = true;
    await clearAutosave();
    scheduleAutosave();
  }

  let started = false;
  /**
   * At start: open the last project (the browser keeps it with its training and unsaved
   * changes; the desktop reopens the last file), else the XOR example; then offer the autosave
   * of an earlier session if there is one that differs from what is open.
   */
  async function init(): Promise<void> {
    if (started) return;
    started = true;
    graph.load(parseProject(EXAMPLE_PROJECT));
    const { host } = services();
    // Hidden (another tab, minimized, the desktop window closing) or gone: write what is due.
    flushWhenLeaving(() => void flushAutosave());
    await refreshRecent();
    const reopened = await reopenLast();
    if (host.keepLastProject) {
      keepLastProject({
        keep: (p) => host.keepLastProject!(p),
        keepNow: host.keepLastProjectNow && ((p) => host.keepLastProjectNow!(p)),
        current: () => ({
          name: fileName.value,
          path: path.value ?? undefined,
          text: documentText(graph.project, training.trained),
          dirty: dirty.value,
        }),
        changes: [() => graph.revision, () => training.trainedVersion, path, fileName, dirty],
        onError: (e) =>
          (hostError.value = `the project could not be kept for the next visit: ${e}`),
      });
      // What the browser kept is at least as new as the autosave: nothing to offer.
      if (reopened) return void host.autosave.clear().catch(() => {});
    }
    let text: string | null;
    try {
      text = await host.autosave.read();
    } catch {
      return;
    }
    if (text === null) return;
    const offer = readAutosave(text);
    autosaved = true;
    await trainingOpened;
    const differs =
      offer !== null &&
      (!sameProject(offer.project, graph.project) ||
        trainedKey(offer.trained) !== (training.trained?.text ?? null));
    if (differs) restoreOffer.value = offer;
    else await clearAutosave();
  }

  /** Open what the host kept of the last session; false when there is nothing (or it is gone). */
  async function reopenLast(): Promise<boolean> {
    let last;
    try {
      last = await services().host.lastProject();
    } catch {
      return false;
    }
    if (!last) return false;
    const name = last.name ?? 'the last project';
    return accept(
      last.text,
      { name, path: last.path },
      { dirty: last.dirty, untitled: last.name === null },
    );
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
    openBuiltIn,
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
      trained: readTrained(v.trained),
    };
  } catch {
    return null;
  }
}

/** The autosave's training, if it reads (the project comes back either way). */
function readTrained(value: unknown): TrainerState | null {
  if (value === undefined || value === null) return null;
  try {
    return decodeTrained(value);
  } catch {
    return null;
  }
}

function trainedKey(t: TrainerState | null): string | null {
  return t && trainedText(t);
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

/** Calls `flush` when the page is hidden (visibilitychange) or goes away (pagehide). */
function flushWhenLeaving(flush: () => void): void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return;
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
}
