// The few host globals core may use: present in every browser, worker and Node since v11, but
// not part of the ES2022 library that core is checked against (core has no DOM or Node types).
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare const performance: { now(): number };
declare function atob(data: string): string;
