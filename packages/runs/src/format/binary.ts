/**
 * JSON with its typed arrays as raw bytes: for sending a run's payload (megabytes of atoms and
 * weights) without base64, which costs a third more bytes and a decoding pass on each side.
 *
 * Layout: the magic "IMJB", the header's byte length (uint32, little-endian), the header
 * (UTF-8 JSON in which each typed array is {"$bytes": [dtype, offset, length]}), zero padding
 * to a multiple of 8, then the arrays' little-endian bytes, each at an offset that is a
 * multiple of 8 from the start of that body, so a reader can view them without copying.
 */

import { InfomorphError, littleEndianBytes, viewLittleEndian } from "@infomorph/core";

const MAGIC = "IMJB";

type TypedArray = Parameters<typeof littleEndianBytes>[0];

const DTYPES: Record<string, unknown> = {
  Float32Array: "float32",
  Float64Array: "float64",
  Int8Array: "int8",
  Int16Array: "int16",
  Int32Array: "int32",
  Uint8Array: "uint8",
  Uint8ClampedArray: "uint8clamped",
  Uint16Array: "uint16",
  Uint32Array: "uint32",
};

/** `value` as one buffer: its JSON with every typed array's bytes moved out of it. */
export function encodeBinary(value: unknown): Uint8Array {
  const arrays: Uint8Array[] = [];
  let size = 0;
  const header = JSON.stringify(value, (_key, v: unknown) => {
    if (!ArrayBuffer.isView(v) || v instanceof DataView) return v;
    const dtype = DTYPES[v.constructor.name];
    if (typeof dtype !== "string") {
      throw new InfomorphError({
        code: "binary/unsupported-value",
        message: `cannot send a ${v.constructor.name}; only float, integer and byte arrays travel as bytes.`,
      });
    }
    const bytes = littleEndianBytes(v as TypedArray);
    const offset = size;
    arrays.push(bytes);
    size += Math.ceil(bytes.length / 8) * 8;
    return { $bytes: [dtype, offset, bytes.length] };
  });
  const text = new TextEncoder().encode(header);
  const start = Math.ceil((8 + text.length) / 8) * 8;
  const out = new Uint8Array(start + size);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, text.length, true);
  out.set(text, 8);
  let at = start;
  for (const bytes of arrays) {
    out.set(bytes, at);
    at += Math.ceil(bytes.length / 8) * 8;
  }
  return out;
}

/**
 * The value encodeBinary wrote into `buffer`. Typed arrays are views of `buffer` where the
 * platform is little-endian (copies elsewhere). A buffer that is not one throws
 * InfomorphError "binary/damaged".
 */
export function decodeBinary(buffer: ArrayBuffer): unknown {
  const bytes = new Uint8Array(buffer);
  const damaged = (what: string): never => {
    throw new InfomorphError({
      code: "binary/damaged",
      message: `the data are damaged (${what}); load them again.`,
    });
  };
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC)
    damaged("no header");
  const length = new DataView(buffer).getUint32(4, true);
  if (8 + length > bytes.length) damaged("the header is cut short");
  const start = Math.ceil((8 + length) / 8) * 8;
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return JSON.parse(header, (_key, v: unknown) => {
    const ref = (v as { $bytes?: unknown } | null)?.$bytes;
    if (!Array.isArray(ref)) return v;
    const [dtype, offset, size] = ref as [string, number, number];
    if (!Object.values(DTYPES).includes(dtype))
      damaged(`an array of unknown type ${JSON.stringify(dtype)}`);
    if (start + offset + size > bytes.length) damaged("an array runs past the end");
    return viewLittleEndian(dtype, buffer, start + offset, size);
  });
}
