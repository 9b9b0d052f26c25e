/** One way to fill a memory config's defaults: the given fields over the defaults, where a field left undefined keeps its default. */

/**
 * `{ ...defaults, ...input }` without letting an explicit `undefined` (an unset CLI flag)
 * erase a default.
 *
 * @example withDefaults({ lr: 0.05, epochs: 10 }, { epochs: undefined }) // { lr: 0.05, epochs: 10 }
 */
export function withDefaults<T extends object>(defaults: T, input: Partial<T>): T {
  const given = Object.entries(input).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(given) } as T;
}
