/** The one error class of infomorph: a stable code, a path into the input, and a message that names the fix. */

export interface InfomorphErrorInit {
  /** Stable machine-readable code, e.g. "table/not-normalised". */
  code: string;
  /** Where in the input the problem is, e.g. ["layers", 0, "size"]. */
  path?: readonly (string | number)[];
  /** One or two sentences: what is wrong, what was received, what to do. */
  message: string;
}

export class InfomorphError extends Error {
  readonly code: string;
  readonly path: readonly (string | number)[];

  constructor(init: InfomorphErrorInit) {
    super(init.message);
    this.name = "InfomorphError";
    this.code = init.code;
    this.path = init.path ?? [];
  }
}
