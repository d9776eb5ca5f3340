import * as pulumi from "@pulumi/pulumi";

/** Resolves an Output to its value (assert on the awaited value, never inside an un-awaited `apply`). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Whether an Output is marked secret. */
export const isSecret = (output: pulumi.Output<unknown>): Promise<boolean> => pulumi.isSecret(output);
