import * as pulumi from "@pulumi/pulumi";
import type { ServiceSettings, Settings } from "../infra/environments";

/**
 * The port on 127.0.0.1 of each further HTTP service in dev: its container port, or the next free one when the API
 * (8080, or api.containerPort) or an earlier service has it.
 */
export function hostPorts(settings: Pick<Settings, "api" | "services">): Record<string, number> {
  const taken = new Set<number>([8080]);
  const ports: Record<string, number> = {};
  for (const service of settings.services) {
    if (service.kind !== "http") continue;
    let port = service.port;
    while (taken.has(port)) port += 1;
    taken.add(port);
    ports[service.name] = port;
  }
  return ports;
}

/** A service's secrets in dev: the local database's and cache's URLs, and the stack's `appSecrets`, kept secret. */
export function localSecrets(
  settings: Pick<Settings, "appSecrets" | "stackFile">,
  service: ServiceSettings,
  tiers: { readonly database: pulumi.Output<string>; readonly cache: pulumi.Output<string> },
): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(
    Object.entries(service.secrets).map(([variable, reference]) => {
      if (reference === "database.url") return [variable, tiers.database];
      if (reference === "cache.url") return [variable, tiers.cache];
      const name = reference.slice("appSecrets.".length);
      const value = settings.appSecrets[name];
      // The config step refuses a reference to a name the stack file does not set.
      if (value === undefined) throw new pulumi.RunError(`${settings.stackFile}: appSecrets.${name} is not set`);
      return [variable, pulumi.secret(value)];
    }),
  );
}
