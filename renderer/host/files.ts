// The browser's ways of reading and writing files: a file input made on the fly, and a download.
import { formatBudgetBytes, memoryBudget } from '../../core/graph/budget';
import { LabError } from '../../core/util/errors';

/** Ask the user for one file; null when the picker is cancelled. */
export type PickFile = (accept: string) => Promise<File | null>;

/** Offer bytes or text as a download under `name`. */
export type Download = (name: string, data: Uint8Array | string, type?: string) => void;

export const pickFileWithInput: PickFile = (accept) =>
  new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    const done = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.append(input);
    input.click();
  });

export const downloadWithLink: Download = (name, data, type = 'application/octet-stream') => {
  const blob = new Blob([typeof data === 'string' ? data : data.slice()], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/**
 * A picked file's text or bytes, refused before it is read when it is larger than `limit`
 * (default: the memory budget, core/graph/budget.ts), naming the file and both sizes.
 */
export async function readText(file: File, limit?: SizeLimit): Promise<string> {
  checkSize(file, limit);
  return file.text();
}

export async function readBytes(file: File, limit?: SizeLimit): Promise<Uint8Array> {
  checkSize(file, limit);
  return new Uint8Array(await file.arrayBuffer());
}

export interface SizeLimit {
  bytes: number;
  /** Why: "the memory budget of 2.0 GiB (…)", "the size a plugin may be". */
  what: string;
}

function checkSize(file: Pick<File, 'name' | 'size'>, limit?: SizeLimit): void {
  const b = memoryBudget();
  const l = limit ?? {
    bytes: b.bytes,
    what: `the memory budget of ${formatBudgetBytes(b.bytes)} (${b.note})`,
  };
  if (file.size > l.bytes) {
    throw new LabError(
      'BUDGET',
      `${file.name}: the file is ${formatBudgetBytes(file.size)}, over ${l.what}`,
      {
        file: file.name,
      },
    );
  }
}
