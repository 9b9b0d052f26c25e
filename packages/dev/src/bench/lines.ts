/** What a benchmark prints: one JSON line per measured case. */

/** One measured case, as printed: the median of `repeats` timed runs, with the machine's state. */
export interface BenchLine {
  bench: string;
  case: string;
  /** Median wall time of one run, milliseconds. */
  ms: number;
  /** Fastest run, milliseconds (least disturbed by other load). */
  minMs: number;
  repeats: number;
  /** os.loadavg() when the case finished: 1, 5 and 15 minute load. */
  loadavg: number[];
  node: string;
  cpu: string;
  [detail: string]: unknown;
}

/** One case as a benchmark reports it: its name, every timed run in ms, and details. */
export interface BenchCase {
  bench: string;
  case: string;
  /** Wall time of each timed run, milliseconds (warm-up runs excluded). */
  times: number[];
  [detail: string]: unknown;
}

/** Print a case as one JSON line (median, minimum, repeats and machine state added). */
export type Emit = (measured: BenchCase) => void;
