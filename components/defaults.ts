/**
 * `defaults` with every key of `given` that is set: an explicit `undefined` keeps the default (a plain spread would
 * let it erase the default), while `0` and `false` still override.
 */
export function withDefaults<T extends object>(defaults: T, given: Partial<T> | undefined): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}
