import { Network } from "../components/network";
import type { Settings } from "../infra/environments";
import { physicalName } from "../infra/naming";
import type { Providers } from "../infra/providers";
import type { StackOutputs } from "../infra/program";

/** The local topology of the dev stack, on the engineer's Docker. Tiers are added here as they are built. */
export function localStack(settings: Settings, providers: Extract<Providers, { target: "docker" }>): StackOutputs {
  const network = new Network(
    "network",
    {
      target: "docker",
      networkName: physicalName(settings, "net"),
      labels: { project: settings.project, stack: settings.stack, environment: settings.environment },
    },
    { providers: [providers.docker] },
  );
  const local = network.requireLocal("the local stack");

  return {
    environment: settings.environment,
    dockerNetwork: local.networkName,
  };
}
