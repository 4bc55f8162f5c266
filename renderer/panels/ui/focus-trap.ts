// Keeping keyboard focus inside an open dialog, and giving it back when the dialog closes.

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), ' +
  'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.hasAttribute('hidden') && el.getAttribute('aria-hidden') !== 'true',
  );
}

/** Tab and Shift+Tab wrap around inside `root`. Returns true when it moved the focus. */
export function trapTab(e: KeyboardEvent, root: HTMLElement): boolean {
  if (e.key !== 'Tab') return false;
  const items = focusableIn(root);
  if (items.length === 0) {
    e.preventDefault();
    root.focus();
    return true;
  }
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && root.contains(active);
  if (e.shiftKey && (active === first || !inside)) {
    e.preventDefault();
    last.focus();
    return true;
  }
  if (!e.shiftKey && (active === last || !inside)) {
    e.preventDefault();
    first.focus();
    return true;
  }
  return false;
}

// Open modal dialogs, the topmost last: only it answers keys, and the app's shortcuts wait.
const modals: HTMLElement[] = [];

export function pushModal(el: HTMLElement): void {
  modals.push(el);
}

export function popModal(el: HTMLElement): void {
  const i = modals.lastIndexOf(el);
  if (i >= 0) modals.splice(i, 1);
}

export function topModal(): HTMLElement | null {
  return modals.at(-1) ?? null;
}

/** A modal dialog is open: keyboard shortcuts of the app must not act behind it. */
export function modalOpen(): boolean {
  return modals.length > 0;
}
