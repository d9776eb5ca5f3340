import { defaultAssumptions, type UsageAssumptions } from "./cost";
import { readStackFile } from "../infra/stack-file";

/**
 * The stack file's `costAssumptions` over the defaults. The program has validated the key by the time the estimate
 * runs (it is part of the config schema), so a value here is a non-negative number.
 */
export function assumptionsOf(dir: string, stack: string): UsageAssumptions {
  const file = readStackFile(dir, stack);
  const text = file.config[`${file.project}:costAssumptions`];
  const own = text === undefined ? {} : (JSON.parse(text) as Partial<UsageAssumptions>);
  return { ...defaultAssumptions(file.config[`${file.project}:environment`]), ...own };
}
