import type * as pulumi from "@pulumi/pulumi";
import { transform } from "../../components/transform";

test("a transform edits its own child's options and args, never the objects the component shares", () => {
  const shared: pulumi.CustomResourceOptions = { protect: true };
  const args = { name: "a", tags: { App: "x" } };
  const [, ownArgs, ownOpts] = transform<typeof args>(
    (a, o) => {
      o.ignoreChanges = ["tags"];
      a.name = "b";
    },
    "child",
    args,
    shared,
  );
  expect(ownOpts).toEqual({ protect: true, ignoreChanges: ["tags"] });
  expect(ownArgs.name).toBe("b");
  // The next child built from the same objects sees none of it.
  expect(shared).toEqual({ protect: true });
  expect(args.name).toBe("a");
});

test("an object transform merges over the args", () => {
  const [name, merged] = transform({ name: "z" }, "child", { name: "a", size: 1 }, {});
  expect(name).toBe("child");
  expect(merged).toEqual({ name: "z", size: 1 });
});
