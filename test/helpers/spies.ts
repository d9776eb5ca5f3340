import * as pulumi from "@pulumi/pulumi";

/** One call of a component's `registerOutputs` that passed outputs: the component, and what it registered. */
export interface Registration {
  readonly component: unknown;
  readonly outputs: Record<string, unknown>;
}

/** One lookup (`pulumi.runtime.invokeOutput`): its token, its args and the resource it was made for. */
export interface Lookup {
  readonly token: string;
  readonly args: unknown;
  readonly parent: pulumi.Resource | undefined;
}

/** What a run registered and looked up, in order. */
export class Recorded {
  constructor(
    readonly registrations: readonly Registration[],
    readonly lookups: readonly Lookup[],
  ) {}

  /** Every registration of `component`, in order. */
  registeredBy(component: unknown): Array<Record<string, unknown>> {
    return this.registrations.filter((r) => r.component === component).map((r) => r.outputs);
  }

  /** The one registration of `component`: fails when it registered none or several. */
  onlyRegistrationOf(component: unknown): Record<string, unknown> {
    const found = this.registeredBy(component);
    if (found.length !== 1) throw new Error(`expected one registration of the component, found ${found.length}`);
    return found[0]!;
  }
}

/** The calls (and their `this`) made to `object[key]` from now on; `stop` removes only a spy made here. */
function watch<T extends object, K extends jest.FunctionPropertyNames<Required<T>>>(object: T, key: K) {
  const current = object[key] as unknown;
  // A test that already spies on it keeps its spy: read the calls made from here on instead of replacing it.
  const spy = (jest.isMockFunction(current) ? current : jest.spyOn(object, key)) as jest.Mock;
  const owned = spy !== current;
  const from = spy.mock.calls.length;
  return {
    calls: (): unknown[][] => spy.mock.calls.slice(from) as unknown[][],
    contexts: (): unknown[] => spy.mock.contexts.slice(from) as unknown[],
    stop: (): void => {
      if (owned) spy.mockRestore();
    },
  };
}

/**
 * Runs `run` while spying on `ComponentResource.registerOutputs` (protected: spied through a view of the prototype)
 * and on `pulumi.runtime.invokeOutput`. Both still do their real work; the spies are removed when `run` settles (a
 * spy the test made before is left in place). Registrations happen inside the constructors, before the test holds
 * the component: compare by identity afterwards.
 */
export async function recordCalls<R>(run: () => R | Promise<R>): Promise<{ result: R; recorded: Recorded }> {
  const prototype = pulumi.ComponentResource.prototype as unknown as { registerOutputs(outputs?: unknown): void };
  const register = watch(prototype, "registerOutputs");
  const invoke = watch(pulumi.runtime, "invokeOutput");
  try {
    const result = await run();
    const contexts = register.contexts();
    const registrations = register
      .calls()
      .flatMap(([outputs], i): Registration[] =>
        outputs === undefined ? [] : [{ component: contexts[i], outputs: outputs as Record<string, unknown> }],
      );
    const lookups = invoke.calls().map(([token, args, opts]) => ({
      token: token as string,
      args,
      parent: (opts as pulumi.InvokeOptions | undefined)?.parent,
    }));
    return { result, recorded: new Recorded(registrations, lookups) };
  } finally {
    register.stop();
    invoke.stop();
  }
}
