/** The papers' goals (docs/SCIENCE.md §7: bivariate from Makkeh et al., PNAS 2025, arXiv 2306.02149; trivariate from Schneider et al., ICLR 2025, arXiv 2412.02482) as named constants, and lookup by name. */

import { InfomorphError } from "../errors.js";
import { type Goal, goal } from "./goal.js";

const LATERAL = ["F", "L"] as const;

/**
 * Bivariate context heuristic: G = Π(F)(C), the redundancy of feed-forward and
 * context input. γ = (unqF, unqC, red, syn, H_res) = (0, 0, 1, 0, 0).
 * Sources F, C.
 */
export const BIVARIATE_CONTEXT_HEURISTIC: Goal = goal({ "(F)(C)": 1 }, { sources: 2 });

/**
 * Bivariate lateral heuristic: G = Π(F), what the feed-forward input carries that the
 * lateral neighbours don't ("encode what neighbours don't"). γ = (1, 0, 0, 0, 0).
 * Sources F, L.
 */
export const BIVARIATE_LATERAL_HEURISTIC: Goal = goal(
  { "(F)": 1 },
  { sources: 2, classNames: LATERAL },
);

/**
 * Trivariate heuristic: G = Π(F)(C) over sources F, C, L; γ has 1 at index 1 of 19.
 */
export const TRIVARIATE_HEURISTIC: Goal = goal({ "(F)(C)": 1 }, { sources: 3 });

/**
 * Bivariate context, TPE-optimised goal opt_1: γ = (unqF, unqC, red, syn, H_res) =
 * (−0.0990, 0.3916, 0.5118, 0.5942, 0.0885). Optimised for validation accuracy with
 * context withheld (N = 100, 100 epochs).
 */
export const BIVARIATE_CONTEXT_OPT1: Goal = goal(
  { "(F)": -0.099, "(C)": 0.3916, "(F)(C)": 0.5118, "(FC)": 0.5942, H_res: 0.0885 },
  { sources: 2 },
);

/**
 * Bivariate context, TPE-optimised goal opt_2 (the one in the paper's figure):
 * γ = (0.0379, 0.3185, 0.7755, 0.1536, 0.0076).
 */
export const BIVARIATE_CONTEXT_OPT2: Goal = goal(
  { "(F)": 0.0379, "(C)": 0.3185, "(F)(C)": 0.7755, "(FC)": 0.1536, H_res: 0.0076 },
  { sources: 2 },
);

/**
 * Bivariate lateral, TPE-optimised goal opt_1: γ = (unqF, unqL, red, syn, H_res) =
 * (0.8281, −0.2038, 0.9030, 0.5267, 0.1350). Sources F, L.
 */
export const BIVARIATE_LATERAL_OPT1: Goal = goal(
  { "(F)": 0.8281, "(L)": -0.2038, "(F)(L)": 0.903, "(FL)": 0.5267, H_res: 0.135 },
  { sources: 2, classNames: LATERAL },
);

/**
 * Bivariate lateral, TPE-optimised goal opt_2 (the one in the paper's figure):
 * γ = (0.8051, −0.4079, 0.5380, 0.5634, −0.0097). Sources F, L.
 */
export const BIVARIATE_LATERAL_OPT2: Goal = goal(
  { "(F)": 0.8051, "(L)": -0.4079, "(F)(L)": 0.538, "(FL)": 0.5634, H_res: -0.0097 },
  { sources: 2, classNames: LATERAL },
);

/**
 * The fixed goal of the output layer (F = the hidden layer's output, C = the label):
 * γ = (unqF, unqC, red, syn, H_res) = (−0.2, 0.1, 1.0, 0.1, 0).
 */
export const OUTPUT_LAYER: Goal = goal(
  { "(F)": -0.2, "(C)": 0.1, "(F)(C)": 1, "(FC)": 0.1 },
  { sources: 2 },
);

/**
 * Trivariate TPE goal opt_1_100 ("tpe_1"), probably the goal behind the published
 * curve (unverified). In canonical order (docs/SCIENCE.md §2), then H_res:
 * (0.331, 0.978, −0.994, 0.402, 0.243, 0.626, 0.471, 0.021, 0.061, −0.947, −0.020,
 *  −0.968, −0.692, 0.427, 0.974, 0.737, −0.122, −0.215, 0.035).
 */
export const TRIVARIATE_OPT1: Goal = goal(
  {
    "(F)(C)(L)": 0.331,
    "(F)(C)": 0.978,
    "(F)(L)": -0.994,
    "(C)(L)": 0.402,
    "(F)(CL)": 0.243,
    "(C)(FL)": 0.626,
    "(L)(FC)": 0.471,
    "(F)": 0.021,
    "(C)": 0.061,
    "(L)": -0.947,
    "(FC)(FL)(CL)": -0.02,
    "(FC)(FL)": -0.968,
    "(FC)(CL)": -0.692,
    "(FL)(CL)": 0.427,
    "(FC)": 0.974,
    "(FL)": 0.737,
    "(CL)": -0.122,
    "(FCL)": -0.215,
    H_res: 0.035,
  },
  { sources: 3 },
);

/**
 * The rounded 4-atom trivariate goal that keeps tpe_1's accuracy:
 * G = 0.33·Π(F)(C)(L) + Π(F)(C) − Π(F)(L) − Π(FC)(FL).
 */
export const TRIVARIATE_ROUNDED: Goal = goal(
  { "(F)(C)(L)": 0.33, "(F)(C)": 1, "(F)(L)": -1, "(FC)(FL)": -1 },
  { sources: 3 },
);

/**
 * The associative-memory goal: pure redundancy between the two inputs of a Hopfield
 * neuron, γ = (0, 0, 1, 0, 0) — ≈ 1.59 patterns per neuron against 0.14 for Hebbian
 * learning (arXiv 2511.02584). Default class names F, C.
 */
export const REDUNDANCY: Goal = goal({ "(F)(C)": 1 }, { sources: 2 });

const BY_NAME = {
  "bivariate-context-heuristic": BIVARIATE_CONTEXT_HEURISTIC,
  "bivariate-lateral-heuristic": BIVARIATE_LATERAL_HEURISTIC,
  "trivariate-heuristic": TRIVARIATE_HEURISTIC,
  "bivariate-context-opt1": BIVARIATE_CONTEXT_OPT1,
  "bivariate-context-opt2": BIVARIATE_CONTEXT_OPT2,
  "bivariate-lateral-opt1": BIVARIATE_LATERAL_OPT1,
  "bivariate-lateral-opt2": BIVARIATE_LATERAL_OPT2,
  "output-layer": OUTPUT_LAYER,
  "trivariate-opt1": TRIVARIATE_OPT1,
  "trivariate-rounded": TRIVARIATE_ROUNDED,
  redundancy: REDUNDANCY,
} as const satisfies Record<string, Goal>;

/** The name of one of the papers' goals. */
export type NamedGoalName = keyof typeof BY_NAME;

/** Every named goal, in the order above (heuristics, optimised, output layer, trivariate, memory). */
export const NAMED_GOALS: readonly NamedGoalName[] = Object.freeze(
  Object.keys(BY_NAME) as NamedGoalName[],
);

/**
 * One of the papers' goals by name; throws an InfomorphError listing the valid names.
 *
 * @example namedGoal("trivariate-opt1").weight("(FC)(FL)") // -0.968
 */
export function namedGoal(name: NamedGoalName | (string & {})): Goal {
  if (!Object.hasOwn(BY_NAME, name)) {
    throw new InfomorphError({
      code: "goal/unknown-name",
      path: ["goal"],
      message: `unknown goal "${name}". Named goals: ${NAMED_GOALS.join(", ")}.`,
    });
  }
  return BY_NAME[name as NamedGoalName];
}
