// View state that is not the project: the help overlay, and requests the canvas carries out
// (fit the view) since only the builder knows its viewport.
import { defineStore } from 'pinia';
import { ref } from 'vue';

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

  function toggleHelp(open = !helpOpen.value): void {
    helpOpen.value = open;
  }

  function requestFitView(): void {
    fitViewRequest.value++;
  }

  function setLabInMain(on = !labInMain.value): void {
    labInMain.value = on;
  }

  return {
    helpOpen,
    fitViewRequest,
    labInMain,
    exportOpen,
    sidebarTab,
    toggleHelp,
    requestFitView,
    setLabInMain,
  };
});
