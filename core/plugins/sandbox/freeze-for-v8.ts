// Imported right before 'ses' (see harden-realm.ts), which takes Object.freeze when its module
// is evaluated: during that evaluation Object.freeze is `freezeKeepingElementsFast`, then
// freeze-restore.ts puts the original back for everyone else.
//
// Why: on V8 11 (Node 20) an object frozen with Object.freeze on the prototype chain of typed
// arrays (Object.prototype, %TypedArray%.prototype, Float32Array.prototype …) sends every
// element store into those arrays down a slow path: measured 30× slower for a Float32Array loop,
// which is the engine's hot path. Making each property non-writable and non-configurable and then
// the object non-extensible gives the same integrity (Object.isFrozen is true) and keeps the
// fast path. Chromium's newer V8 has no such cliff; the same code runs there.

const original = Object.freeze;

const typedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype) as object;
const TYPED_ARRAYS = [
  Float32Array,
  Float64Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
];

/** The prototypes that Object.freeze would slow the engine's element stores through. */
const ON_ELEMENT_PATHS = new Set<object>([
  Object.prototype,
  Array.prototype,
  typedArrayPrototype,
  ...TYPED_ARRAYS.map((c) => c.prototype as object),
]);

function freezeKeepingElementsFast<T>(o: T): T {
  if (typeof o !== 'object' || o === null || !ON_ELEMENT_PATHS.has(o)) return original(o);
  const descriptors = Object.getOwnPropertyDescriptors(o) as Record<
    PropertyKey,
    PropertyDescriptor
  >;
  for (const key of Reflect.ownKeys(descriptors)) {
    const d = descriptors[key as string];
    if ('value' in d) d.writable = false;
    d.configurable = false;
  }
  Object.defineProperties(o, descriptors);
  Object.preventExtensions(o);
  // Used as a prototype again, V8 gives the object back its fast property layout.
  Object.create(o);
  return o;
}

Object.freeze = freezeKeepingElementsFast;

/** Put the original Object.freeze back (freeze-restore.ts, once 'ses' has taken this one). */
export function restoreFreeze(): void {
  Object.freeze = original;
}
