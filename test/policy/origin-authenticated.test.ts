import { evaluate } from "../../policy/evaluate";
import { policies } from "../../policy/rules";
import { lb, listener, record, trustStore, zone } from "./origin-fixtures";

const rule = policies.find((p) => p.name === "origin-authenticated")!;
const VERIFY = { mode: "verify", trustStoreArn: "arn:aws:elasticloadbalancing:eu-west-1:1:truststore/t/1" };

// Each failing stack breaks one condition of the rule; each passing one shows a case the rule must let through.
test.each([
  ["no client certificate asked for", [lb, record(), listener(undefined)], /asks for no client certificate/],
  ["passthrough instead of verify", [lb, record(), listener({ ...VERIFY, mode: "passthrough" })], /asks for no/],
  ["verify without a trust store", [lb, record(), listener({ mode: "verify" })], /needs a trustStoreArn/],
  ["the zone records no opt-out", [zone(true), lb, record(), listener(undefined)], /asks for no client/],
])("origin-authenticated fails: %s", async (_what, records, message) => {
  const violations = await evaluate(records, [rule]);
  expect(violations.map((v) => v.message)).toEqual([expect.stringMatching(message)]);
  expect(violations[0]!.message).toMatch(/^api-https \(HTTPS listener\): /);
});

test.each([
  ["verify against a trust store", [lb, record(), trustStore, listener(VERIFY, [trustStore.urn])]],
  // A first preview: the trust store does not exist yet, so its ARN is unknown.
  [
    "verify with a trust store's ARN still unknown",
    [lb, record(), trustStore, listener({ mode: "verify" }, [trustStore.urn])],
  ],
  ["a load balancer no proxied name points at", [lb, record(false), listener(undefined)]],
  ["the stack file opts out (dns.authenticatedOriginPulls: false)", [zone(false), lb, record(), listener(undefined)]],
])("origin-authenticated passes: %s", async (_what, records) => {
  expect(await evaluate(records, [rule])).toEqual([]);
});
