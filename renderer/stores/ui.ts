// View state that is not the project: the help overlay, and requests the canvas carries out
// (fit the view) since only the builder knows its viewport.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useUiStore = defineStore('ui', () => {
  const helpOpen = ref(false);
  /** Bumped to ask the canvas to fit the network into view: watch it. */
  const fitViewRequest = ref(0);

  function toggleHelp(open = !helpOpen.value): void {
    helpOpen.value = open;
  }

  function requestFitView(): void {
    fitViewRequest.value++;
  }

  return { helpOpen, fitViewRequest, toggleHelp, requestFitView };
});
