// View state that is not the project: the help overlay, the layer editor, and requests the canvas
// carries out (fit the view) since only the builder knows its viewport, and the Lab (the layer its
// Gradient check view shows) since the Lab's code loads only when it is first opened.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FieldDraftError } from './graph-problems';

/** The right sidebar's tabs. */
export type SidebarTabId = 'inspector' | 'training' | 'plugins' | 'lab' | 'lessons';

export const useUiStore = defineStore('ui', () => {
  const helpOpen = ref(false);
  /** Bumped to ask the canvas to fit the network into view: watch it. */
  const fitViewRequest = ref(0);
  /** The Lab views are shown in the main area (instead of the canvas), with room to read them. */
  const labInMain = ref(false);
  /** The Export dialog is open (from the toolbar, Ctrl+E, or the File menu). */
  const exportOpen = ref(false);
  /** The right sidebar's open tab (a lesson opens the one it needs). */
  const sidebarTab = ref<SidebarTabId>('training');
  /** The plugin layer the Gradient check view should show (and whether to switch to it). */
  const gradcheckPick = ref<{ layer: string; show: boolean; seq: number } | null>(null);
  /**
   * The layer editor is open: on a new layer (file null) or on a plugin file by its id
   * ('user:my-layer.js', 'app:wacky.js').
   */
  const layerEditor = ref<{ file: string | null } | null>(null);
  /** Fields holding text they do not take, by field id (NumberField): Train waits for them. */
  const fieldErrors = ref<Record<string, FieldDraftError>>({});

  function setFieldError(id: string, error: FieldDraftError | null): void {
    if (error) fieldErrors.value = { ...fieldErrors.value, [id]: error };
    else if (id in fieldErrors.value) {
      const { [id]: _gone, ...rest } = fieldErrors.value;
      fieldErrors.value = rest;
    }
  }

  function openLayerEditor(file: string | null = null): void {
    layerEditor.value = { file };
  }

  function toggleHelp(open = !helpOpen.value): void {
    helpOpen.value = open;
  }

  function requestFitView(): void {
    fitViewRequest.value++;
  }

  function setLabInMain(on = !labInMain.value): void {
    labInMain.value = on;
  }

  function pickGradcheckLayer(layer: string, show = false): void {
    gradcheckPick.value = { layer, show, seq: (gradcheckPick.value?.seq ?? 0) + 1 };
  }

  return {
    helpOpen,
    fitViewRequest,
    labInMain,
    exportOpen,
    sidebarTab,
    gradcheckPick,
    pickGradcheckLayer,
    layerEditor,
    openLayerEditor,
    fieldErrors,
    setFieldError,
    toggleHelp,
    requestFitView,
    setLabInMain,
  };
});
