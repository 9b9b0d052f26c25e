/** Standard test functions of black-box optimisation, with their domains and known minima, for the samplers' tests (Surjanovic & Bingham, "Virtual Library of Simulation Experiments", and BBOB's f1). */

export interface TestFunction {
  readonly name: string;
  readonly f: (x: ArrayLike<number>) => number;
  /** The box searched: one [low, high] per dimension. */
  readonly bounds: readonly (readonly [number, number])[];
  /** The global minimum value. */
  readonly minimum: number;
  /** A point where it is attained. */
  readonly argmin: readonly number[];
}

/** Σ x_i², minimum 0 at the origin. */
export function sphere(dims: number, half = 5): TestFunction {
  return {
    name: `sphere-${dims}d`,
    f: (x) => {
      let s = 0;
      for (let i = 0; i < dims; i++) s += x[i] * x[i];
      return s;
    },
    bounds: Array.from({ length: dims }, () => [-half, half] as const),
    minimum: 0,
    argmin: new Array(dims).fill(0),
  };
}

/** Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1); searched in [−2, 2]^d. */
export function rosenbrock(dims: number): TestFunction {
  return {
    name: `rosenbrock-${dims}d`,
    f: (x) => {
      let s = 0;
      for (let i = 0; i + 1 < dims; i++) {
        s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
      }
      return s;
    },
    bounds: Array.from({ length: dims }, () => [-2, 2] as const),
    minimum: 0,
    argmin: new Array(dims).fill(1),
  };
}

/** Branin–Hoo on [−5, 10] × [0, 15]: three global minima of 5/(4π) ≈ 0.397887, e.g. at (π, 2.275). */
export const branin: TestFunction = {
  name: "branin",
  f: (x) => {
    const b = 5.1 / (4 * Math.PI * Math.PI);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x[1] - b * x[0] * x[0] + c * x[0] - 6) ** 2 + 10 * (1 - t) * Math.cos(x[0]) + 10;
  },
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  minimum: 5 / (4 * Math.PI),
  argmin: [Math.PI, 2.275],
};

const HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2];
const HARTMANN_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

/** Hartmann-6 on [0, 1]^6: −Σ α_i exp(−Σ_j A_ij (x_j − P_ij)²), minimum −3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573). */
export const hartmann6: TestFunction = {
  name: "hartmann6",
  f: (x) => {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2;
      s -= HARTMANN_ALPHA[i] * Math.exp(-inner);
    }
    return s;
  },
  bounds: Array.from({ length: 6 }, () => [0, 1] as const),
  minimum: -3.32237,
  argmin: [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573],
};
