/** A writable numeric buffer (Float32Array or Float64Array). */
export type Out = { [i: number]: number; length: number };
