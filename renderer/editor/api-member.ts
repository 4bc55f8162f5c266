/** One member of the plugin API (plugins/api.d.ts) as the layer editor completes it. */
export interface ApiMember {
  name: string;
  kind: 'property' | 'method';
  /** The declaration as written, without its comment: `zeros(shape: number[]): Tensor`. */
  detail: string;
  doc: string;
}
