// The policy pack for the real CLI: `pulumi preview --policy-pack policy`. Kept alone in this file because
// `new PolicyPack` starts a gRPC server; the rules live in ./rules.ts, where the tests and the synth use them.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

new PolicyPack("saas-platform", { policies });
