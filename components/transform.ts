import type * as pulumi from "@pulumi/pulumi";

/**
 * An escape hatch for one child resource (SST style): either properties merged over what the component sets (a shallow
 * merge: a property given here, such as `tags`, replaces the component's whole value), or a function that edits the
 * args and options in place. Use it for what the component did not foresee, without forking.
 *
 * @example
 * transform: { vpc: { enableNetworkAddressUsageMetrics: true } }
 * transform: { flowLog: (args) => { args.trafficType = "REJECT"; } }
 */
export type Transform<Args> = Partial<Args> | ((args: Args, opts: pulumi.CustomResourceOptions, name: string) => void);

/**
 * Applies a {@link Transform} and returns the constructor arguments `[name, args, opts]` of the child. The hook edits
 * copies: components share one options object between children (`{ parent }`), and a change meant for one child must
 * not reach the others.
 */
export function transform<Args extends object>(
  hook: Transform<Args> | undefined,
  name: string,
  args: Args,
  opts: pulumi.CustomResourceOptions,
): [string, Args, pulumi.CustomResourceOptions] {
  const ownArgs = { ...args };
  const ownOpts = { ...opts };
  if (hook === undefined) return [name, ownArgs, ownOpts];
  if (typeof hook === "function") {
    hook(ownArgs, ownOpts, name);
    return [name, ownArgs, ownOpts];
  }
  return [name, { ...ownArgs, ...hook }, ownOpts];
}
