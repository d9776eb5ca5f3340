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

/**
 * Runs `run` while spying on `ComponentResource.registerOutputs` (protected: spied through a view of the prototype)
 * and on `pulumi.runtime.invokeOutput`. Both still do their real work; the spies are removed when `run` settles.
 * Registrations happen inside the constructors, before the test holds the component: compare by identity afterwards.
 */
export async function recordCalls<R>(run: () => R | Promise<R>): Promise<{ result: R; recorded: Recorded }> {
  const prototype = pulumi.ComponentResource.prototype as unknown as { registerOutputs(outputs?: unknown): void };
  const register = jest.spyOn(prototype, "registerOutputs");
  const invoke = jest.spyOn(pulumi.runtime, "invokeOutput");
  try {
    const result = await run();
    const registrations = register.mock.calls.flatMap(([outputs], i): Registration[] =>
      outputs === undefined
        ? []
        : [{ component: register.mock.contexts[i], outputs: outputs as Record<string, unknown> }],
    );
    const lookups = invoke.mock.calls.map(([token, args, opts]) => ({ token, args, parent: opts?.parent }));
    return { result, recorded: new Recorded(registrations, lookups) };
  } finally {
    register.mockRestore();
    invoke.mockRestore();
  }
}
