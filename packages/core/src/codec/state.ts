/** Encode model state (nested objects, arrays, typed arrays, numbers) as JSON and back, exactly: typed arrays as {dtype, base64} of their little-endian bytes. Browser-safe: saveModel and the run store's checkpoints share it. */

import { InfomorphError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "./base64.js";

/** The typed arrays a state may hold (not the BigInt ones, which JSON numbers cannot round-trip). */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

type TypedArrayConstructor = {
  new (length: number): TypedArray;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

/** dtype name → constructor; the names follow numpy's, so a checkpoint is readable elsewhere. */
const DTYPES: Readonly<Record<string, TypedArrayConstructor>> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint8clamped: Uint8ClampedArray,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A typed array in JSON: its element type and its bytes, little-endian, in base64. */
export interface EncodedArray {
  dtype: string;
  base64: string;
}

function dtypeOf(value: unknown): string | null {
  for (const [name, ctor] of Object.entries(DTYPES)) {
    if (value instanceof (ctor as unknown as new () => unknown)) return name;
  }
  return null;
}

/** The bytes of a typed array in little-endian order (a copy on a big-endian machine). */
export function littleEndianBytes(array: TypedArray): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const size = array.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN || size === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let b = 0; b < size; b++) swapped[i + b] = bytes[i + size - 1 - b];
  }
  return swapped;
}

/** A typed array from little-endian bytes (copied, so it is aligned and owns its buffer). */
export function fromLittleEndian(dtype: string, bytes: Uint8Array): TypedArray {
  const ctor = DTYPES[dtype];
  const size = ctor.BYTES_PER_ELEMENT;
  const copy = new Uint8Array(bytes.length);
  if (LITTLE_ENDIAN || size === 1) {
    copy.set(bytes);
  } else {
    for (let i = 0; i < bytes.length; i += size) {
      for (let b = 0; b < size; b++) copy[i + b] = bytes[i + size - 1 - b];
    }
  }
  return new ctor(copy.buffer, 0, bytes.length / size);
}

/**
 * The `dtype` array in `byteLength` little-endian bytes of `buffer` at `byteOffset` (a multiple
 * of the element size): a view of the buffer on a little-endian platform, a swapped copy on a
 * big-endian one.
 */
export function viewLittleEndian(
  dtype: string,
  buffer: ArrayBuffer,
  byteOffset: number,
  byteLength: number,
): TypedArray {
  const ctor = DTYPES[dtype];
  if (!LITTLE_ENDIAN && ctor.BYTES_PER_ELEMENT > 1) {
    return fromLittleEndian(dtype, new Uint8Array(buffer, byteOffset, byteLength));
  }
  return new ctor(buffer, byteOffset, byteLength / ctor.BYTES_PER_ELEMENT);
}

/**
 * A JSON-safe copy of `value`: typed arrays become {dtype, base64}; numbers JSON cannot
 * hold exactly (NaN, ±Infinity, −0) become {$number: "NaN"}; objects and arrays are copied
 * recursively; undefined properties are dropped, as JSON.stringify would.
 *
 * @example decodeState(JSON.parse(JSON.stringify(encodeState(state)))) // deep-equals state
 */
export function encodeState(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $number: Object.is(value, -0) ? "-0" : String(value) };
  }
  if (ArrayBuffer.isView(value)) {
    const dtype = dtypeOf(value);
    if (dtype === null) throw unsupported(value.constructor.name);
    const bytes = littleEndianBytes(value as TypedArray);
    return { dtype, base64: encodeBase64(bytes) } satisfies EncodedArray;
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : encodeState(v)));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) out[key] = encodeState(v);
    }
    return out;
  }
  throw unsupported(typeof value);
}

/** The inverse of encodeState. */
export function decodeState(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decodeState);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (
    keys.length === 2 &&
    typeof record.dtype === "string" &&
    typeof record.base64 === "string" &&
    Object.hasOwn(DTYPES, record.dtype)
  ) {
    const bytes = decodeBase64(record.base64);
    if (bytes.length % DTYPES[record.dtype].BYTES_PER_ELEMENT !== 0) {
      throw new InfomorphError({
        code: "codec/bad-array",
        message: `a ${record.dtype} array in the saved state has ${bytes.length} bytes, not a multiple of ${DTYPES[record.dtype].BYTES_PER_ELEMENT}: the data is damaged. Save it again (saveModel, or the run's checkpoint).`,
      });
    }
    return fromLittleEndian(record.dtype, bytes);
  }
  if (keys.length === 1 && typeof record.$number === "string") {
    return record.$number === "-0" ? -0 : Number(record.$number);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = decodeState(record[key]);
  return out;
}

function unsupported(kind: string): InfomorphError {
  return new InfomorphError({
    code: "codec/unsupported-value",
    message: `cannot encode a ${kind}; a saved state may hold only objects, arrays, numbers, strings, booleans, null and typed arrays (not BigInt arrays).`,
  });
}
