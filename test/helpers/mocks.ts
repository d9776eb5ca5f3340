import * as pulumi from "@pulumi/pulumi";
import { createMocks } from "../../infra/synth/mock-state";

/**
 * Plain `setMocks` with the synth's realistic state, for tests that construct a component directly. Call it before
 * constructing anything: a resource created before the mocks are set never resolves.
 */
export function useMocks(stack = "test", region = "eu-west-1"): void {
  void pulumi.runtime.setMocks(createMocks({ region }), "saas-platform", stack, false);
}
