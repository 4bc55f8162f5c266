// The width of an element, followed as the panel is resized (the sidebar, the main area).
import { type Ref, onBeforeUnmount, onMounted, ref } from 'vue';

export function useWidth(el: Ref<HTMLElement | null>, fallback = 300): Ref<number> {
  const width = ref(fallback);
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    const node = el.value;
    if (!node) return;
    width.value = Math.floor(node.clientWidth) || fallback;
    if (typeof ResizeObserver === 'undefined') return;
    observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      // Ignore sub-pixel jitter so that drawings are not redone for nothing.
      if (w > 0 && Math.abs(w - width.value) >= 1) width.value = w;
    });
    observer.observe(node);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return width;
}
