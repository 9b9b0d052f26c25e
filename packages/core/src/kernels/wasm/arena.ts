/** The fixed arena in WebAssembly memory: alloc() bumps up from the bottom, per-call scratch copies stack down from the top. */

import { InfomorphError } from "../../errors.js";

/** Alignment of every block, bytes: one cache line, so SIMD loads never straddle one needlessly. */
const ALIGN = 64;

/** The typed arrays the kernels take. */
type View = Float32Array | Float64Array | Uint8Array | Int32Array;

/** Addresses of the arrays one kernel call writes (Arena.outputs()). */
export interface Outputs {
  /**
   * The byte address of `array`'s first `length` elements: its own if it lives in the arena,
   * else scratch of its type (with `read`, holding a copy of those elements first).
   */
  place(array: View, length: number, read?: boolean): number;
  /** Copies every scratch result back into its array; call once the kernel has run. */
  flush(): void;
}

/**
 * Hands out Float32Array (and Float64Array, Uint8Array) views of one ArrayBuffer that never
 * changes size.
 *
 *   [start ......... low)   alloc() blocks, never freed (bump allocator)
 *   [low ........... high)  free
 *   [high ........... end)  scratch of the call in progress, freed by releaseScratch()
 *
 * input() and outputs() give a kernel call the addresses of its arrays: in place for views of
 * this buffer, through scratch copies for any other.
 *
 * The buffer must not grow while the arena lives (a grown WebAssembly memory
 * detaches the old buffer and every view of it); the loader grows memory once,
 * before it creates the arena.
 */
export class Arena {
  private low: number;
  private high: number;

  constructor(
    private readonly buffer: ArrayBuffer,
    start: number,
    private readonly end: number,
  ) {
    this.low = alignUp(start);
    this.high = end;
  }

  /** A zero-filled view of `length` floats that lives as long as the arena. */
  alloc(length: number): Float32Array {
    return new Float32Array(this.buffer, this.take("alloc", length, 4), length);
  }

  /** A zero-filled view of `length` float64 values that lives as long as the arena. */
  allocFloat64(length: number): Float64Array {
    return new Float64Array(this.buffer, this.take("allocFloat64", length, 8), length);
  }

  /** A zero-filled view of `length` bytes that lives as long as the arena. */
  allocBytes(length: number): Uint8Array {
    return new Uint8Array(this.buffer, this.take("allocBytes", length, 1), length);
  }

  /** A view of `length` floats for the call in progress (contents undefined). */
  scratch(length: number): Float32Array {
    return new Float32Array(this.buffer, this.takeScratch(length, 4), length);
  }

  /** A view of `length` float64 values for the call in progress (contents undefined). */
  scratchFloat64(length: number): Float64Array {
    return new Float64Array(this.buffer, this.takeScratch(length, 8), length);
  }

  /** A view of `length` bytes for the call in progress (contents undefined). */
  scratchBytes(length: number): Uint8Array {
    return new Uint8Array(this.buffer, this.takeScratch(length, 1), length);
  }

  /** Frees all scratch views; call when the call in progress is done. */
  releaseScratch(): void {
    this.high = this.end;
  }

  /** The byte address of `array` in this arena's memory, or -1 if it lives elsewhere. */
  addressOf(array: View): number {
    return array.buffer === this.buffer ? array.byteOffset : -1;
  }

  /**
   * The byte address of `array`'s first `length` elements for a kernel to read: its own if it
   * lives in this arena, else that of a scratch copy.
   */
  input(array: View, length: number): number {
    const address = this.addressOf(array);
    if (address >= 0) return address;
    const copy = this.scratchLike(array, length);
    copy.set(array.subarray(0, length));
    return copy.byteOffset;
  }

  /**
   * Addresses for the arrays a kernel call writes: arrays in this arena are used in place,
   * others get scratch that flush() copies back.
   */
  outputs(): Outputs {
    const pending: [View, View][] = [];
    return {
      place: (array, length, read = false) => {
        const address = this.addressOf(array);
        if (address >= 0) return address;
        const scratch = this.scratchLike(array, length);
        if (read) scratch.set(array.subarray(0, length));
        pending.push([array, scratch]);
        return scratch.byteOffset;
      },
      flush() {
        for (const [array, scratch] of pending) array.set(scratch);
      },
    };
  }

  /** A scratch view of `length` elements of `array`'s type. */
  private scratchLike(array: View, length: number): View {
    if (array instanceof Float64Array) return this.scratchFloat64(length);
    if (array instanceof Uint8Array) return this.scratchBytes(length);
    if (array instanceof Int32Array) {
      return new Int32Array(this.buffer, this.takeScratch(length, 4), length);
    }
    return this.scratch(length);
  }

  /** Bumps `low` past `length` elements of `size` bytes, zero-filled; returns their address. */
  private take(what: string, length: number, size: number): number {
    const bytes = alignUp(length * size);
    if (this.low + bytes > this.high) throw outOfMemory(what, length, size, this.high - this.low);
    const address = this.low;
    this.low += bytes;
    new Uint8Array(this.buffer, address, bytes).fill(0); // the region may have been scratch before
    return address;
  }

  /** Moves `high` down past `length` elements of `size` bytes; returns their address. */
  private takeScratch(length: number, size: number): number {
    const bytes = alignUp(length * size);
    if (this.high - bytes < this.low) {
      throw outOfMemory("scratch", length, size, this.high - this.low);
    }
    this.high -= bytes;
    return this.high;
  }
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

function outOfMemory(
  what: string,
  length: number,
  size: number,
  freeBytes: number,
): InfomorphError {
  const unit = size === 4 ? "floats" : size === 8 ? "float64 values" : "bytes";
  return new InfomorphError({
    code: "kernels/out-of-memory",
    path: ["length"],
    message:
      `WebAssembly kernel memory is full: ${what} of ${length} ${unit} needs ${length * size} bytes, ` +
      `${freeBytes} are free. Create the kernels with a larger memoryMiB ` +
      "(pickKernels({ memoryMiB: 512 })), or allocate fewer or smaller buffers with alloc().",
  });
}
