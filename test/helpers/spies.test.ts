// The recording helper the component tests rely on: what it reports, and that it leaves no spy (or keeps the test's).
import * as pulumi from "@pulumi/pulumi";
import { recordCalls } from "./spies";

class Box extends pulumi.ComponentResource {
  constructor(name: string, outputs: Array<Record<string, unknown> | undefined>) {
    super("test:index:Box", name, {}, {});
    for (const o of outputs) void this.registerOutputs(o);
  }
}

beforeAll(() => {
  void pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => ({ echoed: args.token }),
    },
    "project",
    "stack",
    false,
  );
});

describe("recordCalls", () => {
  test("gives each component's registrations with outputs, in order, by identity; calls without outputs are left out", async () => {
    const { result, recorded } = await recordCalls(() => ({
      one: new Box("one", [{ a: 1 }]),
      two: new Box("two", [undefined, { b: 2 }, { c: 3 }]),
      none: new Box("none", [undefined]),
    }));
    expect(recorded.registeredBy(result.one)).toEqual([{ a: 1 }]);
    expect(recorded.registeredBy(result.two)).toEqual([{ b: 2 }, { c: 3 }]);
    expect(recorded.registeredBy(result.none)).toEqual([]);
    expect(recorded.onlyRegistrationOf(result.one)).toEqual({ a: 1 });
    expect(() => recorded.onlyRegistrationOf(result.two)).toThrow(
      "expected one registration of the component, found 2",
    );
    expect(() => recorded.onlyRegistrationOf(result.none)).toThrow(
      "expected one registration of the component, found 0",
    );
  });

  test("notes each lookup's token, args and parent", async () => {
    const parent = new Box("parent", []);
    const { recorded } = await recordCalls(() =>
      pulumi.runtime.invokeOutput("test:index:lookup", { q: 1 }, { parent }),
    );
    expect(recorded.lookups).toEqual([{ token: "test:index:lookup", args: { q: 1 }, parent }]);
  });

  test("removes its spies afterwards, also when the run fails", async () => {
    const prototype = pulumi.ComponentResource.prototype as unknown as { registerOutputs: unknown };
    const register = prototype.registerOutputs;
    const invoke = pulumi.runtime.invokeOutput;
    await expect(
      recordCalls(() => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(prototype.registerOutputs).toBe(register);
    expect(pulumi.runtime.invokeOutput).toBe(invoke);
  });

  test("keeps a spy the test made before, and reports only the calls made during the run", async () => {
    const outer = jest.spyOn(pulumi.runtime, "invokeOutput");
    try {
      pulumi.runtime.invokeOutput("test:index:before", {});
      const { recorded } = await recordCalls(() => pulumi.runtime.invokeOutput("test:index:during", {}));
      expect(recorded.lookups.map((l) => l.token)).toEqual(["test:index:during"]);
      expect(pulumi.runtime.invokeOutput).toBe(outer);
      expect(outer.mock.calls.map(([token]) => token)).toEqual(["test:index:before", "test:index:during"]);
    } finally {
      outer.mockRestore();
    }
  });
});
