// The browser's ways of reading and writing files: a file input made on the fly, and a download.

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

export async function readText(file: File): Promise<string> {
  return file.text();
}

export async function readBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
