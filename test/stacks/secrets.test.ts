// Secret hygiene over whole stacks: no generated password or token appears in any recorded input or output in
// plain text, and every output that carries one is marked secret.
import { renderJson } from "../../synth/formats";
import { CACHED_STACKS, ofType, synthStack } from "../helpers/synth";

describe.each(CACHED_STACKS)("the %s stack", (stack) => {
  test("never records a generated password or token in plain text", async () => {
    const result = await synthStack(stack);
    const generated = ofType(result, "random:index/randomPassword:RandomPassword").map((r) =>
      String(r.state!["result"]),
    );
    expect(generated.length).toBeGreaterThanOrEqual(2);
    for (const value of generated) expect(value.length).toBeGreaterThanOrEqual(32);
    const json = renderJson(result);
    for (const value of generated) expect(json).not.toContain(value);
  });

  test("marks every output that carries a credential as secret", async () => {
    const result = await synthStack(stack);
    const credentials = Object.keys(result.outputs).filter(
      (k) => /^(database|cache)Url$|password|token|secret/i.test(k) && !/SecretArn$/.test(k),
    );
    expect(credentials).toEqual(expect.arrayContaining(["databaseUrl", "cacheUrl"]));
    for (const key of credentials) {
      expect(result.secretOutputs).toContain(key);
      expect(result.outputs[key]).toBe("[secret]");
    }
  });
});
