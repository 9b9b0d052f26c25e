/** The fixed arena in WebAssembly memory: alloc() bumps up from the bottom, per-call scratch copies stack down from the top. */

import { InfomorphError } from "../../errors.js";

/** Alignment of every block, bytes: one cache line, so SIMD loads never straddle one needlessly. */
const ALIGN = 64;

/**
 * Hands out Float32Array views of one ArrayBuffer that never changes size.
 *
 *   [start ......... low)   alloc() blocks, never freed (bump allocator)
 *   [low ........... high)  free
 *   [high ........... end)  scratch of the call in progress, freed by releaseScratch()
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
    const bytes = alignUp(length * 4);
    if (this.low + bytes > this.high) throw outOfMemory("alloc", length, this.high - this.low);
    const view = new Float32Array(this.buffer, this.low, length);
    this.low += bytes;
    view.fill(0); // the region may have been scratch before
    return view;
  }

  /** A view of `length` floats for the call in progress (contents undefined). */
  scratch(length: number): Float32Array {
    const bytes = alignUp(length * 4);
    if (this.high - bytes < this.low) throw outOfMemory("scratch", length, this.high - this.low);
    this.high -= bytes;
    return new Float32Array(this.buffer, this.high, length);
  }

  /** Frees all scratch views; call when the call in progress is done. */
  releaseScratch(): void {
    this.high = this.end;
  }

  /** The byte address of `array` in this arena's memory, or -1 if it lives elsewhere. */
  addressOf(array: Float32Array): number {
    return array.buffer === this.buffer ? array.byteOffset : -1;
  }
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

function outOfMemory(what: string, length: number, freeBytes: number): InfomorphError {
  return new InfomorphError({
    code: "kernels/out-of-memory",
    path: ["length"],
    message:
      `WebAssembly kernel memory is full: ${what} of ${length} floats needs ${length * 4} bytes, ` +
      `${freeBytes} are free. Create the kernels with a larger memoryMiB ` +
      "(pickKernels({ memoryMiB: 512 })), or allocate fewer or smaller buffers with alloc().",
  });
}
