import { withDefaults } from "../../components/defaults";
import { resolveRateLimits } from "../../components/dns-zone/plans";

test("an explicit undefined keeps the default; 0 and false still override", () => {
  const defaults = { latencyMs: 200, enabled: true, name: "x" };
  expect(withDefaults(defaults, { latencyMs: undefined, enabled: false })).toEqual({
    latencyMs: 200,
    enabled: false,
    name: "x",
  });
  expect(withDefaults(defaults, { latencyMs: 0 })).toMatchObject({ latencyMs: 0 });
  expect(withDefaults(defaults, undefined)).toEqual(defaults);
});

test("a rate limit given with an undefined period keeps the plan's period", () => {
  const limits = resolveRateLimits("free", { auth: { requests: 3, periodSeconds: undefined as unknown as number } });
  expect(limits.auth).toMatchObject({ requests: 3, periodSeconds: 10 });
});
