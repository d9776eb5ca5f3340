import { Network } from "../components/network";
import { ApiService } from "../components/api-service";
import { WorkerService } from "../components/worker-service";
import { ScheduledTask } from "../components/scheduled-task";
import { ManagedPostgres } from "../components/managed-postgres";
import { RedisCache } from "../components/redis-cache";
import type { ServiceSettings, Settings } from "../infra/environments";
import { namingScope, physicalName } from "../components/naming";
import type { Providers } from "../infra/providers";
import type { StackOutputs } from "./outputs";
import { apiImage } from "./api-image";
import { hostPorts, localSecrets } from "./local-services";
import { serviceImage } from "./services";

/** The local topology of the dev stack, on the engineer's Docker. Tiers are added here as they are built. */
export function localStack(settings: Settings, providers: Extract<Providers, { target: "docker" }>): StackOutputs {
  const network = new Network(
    "network",
    {
      target: "docker",
      networkName: physicalName(namingScope(), "net"),
      labels: { project: settings.project, stack: settings.stack, environment: settings.environment },
    },
    { providers: [providers.docker] },
  );
  const local = network.requireLocal("the local stack");

  const database = new ManagedPostgres(
    "database",
    { target: "docker", network: local },
    { providers: [providers.docker] },
  );
  const cache = new RedisCache("cache", { target: "docker", network: local }, { providers: [providers.docker] });

  const api = new ApiService(
    "api",
    {
      target: "docker",
      network: local,
      image: apiImage(settings),
      ...(settings.api.containerPort === undefined ? {} : { containerPort: settings.api.containerPort }),
      ...(settings.api.healthCheckPath === undefined ? {} : { healthCheckPath: settings.api.healthCheckPath }),
      ...(settings.api.containerHealthCheck === undefined
        ? {}
        : { containerHealthCheck: settings.api.containerHealthCheck }),
      environment: { ENV: settings.environment },
      secrets: { DATABASE_URL: database.url, REDIS_URL: cache.url },
    },
    { providers: [providers.docker] },
  );

  // What every further service's container is declared with: the dev network, its image and command, the stack's
  // environment and its secrets (the local URLs, the stack's appSecrets).
  const onDocker = (service: ServiceSettings) => ({
    target: "docker" as const,
    network: local,
    image: serviceImage(settings, service),
    ...(service.command === undefined ? {} : { command: service.command }),
    environment: { ENV: settings.environment, ...service.environment },
    secrets: localSecrets(settings, service, { database: database.url, cache: cache.url }),
  });

  // Every further HTTP service as a container next to the API, on a port of 127.0.0.1 of its own.
  const ports = hostPorts(settings);
  const http = Object.fromEntries(
    settings.services.flatMap((service) =>
      service.kind === "http"
        ? [
            [
              service.name,
              new ApiService(
                service.name,
                {
                  ...onDocker(service),
                  containerPort: service.port,
                  hostPort: ports[service.name] ?? service.port,
                  healthCheckPath: service.healthCheckPath,
                  ...(service.mount === undefined ? {} : { mount: service.mount }),
                  ...(service.containerHealthCheck === undefined
                    ? {}
                    : { containerHealthCheck: service.containerHealthCheck }),
                },
                { providers: [providers.docker] },
              ),
            ],
          ]
        : [],
    ),
  );

  // Workers as containers with no published port.
  const workers = Object.fromEntries(
    settings.services.flatMap((service) =>
      service.kind === "worker"
        ? [
            [
              service.name,
              new WorkerService(
                service.name,
                {
                  ...onDocker(service),
                  ...(service.mount === undefined ? {} : { mount: service.mount }),
                  ...(service.containerHealthCheck === undefined
                    ? {}
                    : { containerHealthCheck: service.containerHealthCheck }),
                },
                { providers: [providers.docker] },
              ),
            ],
          ]
        : [],
    ),
  );

  // Scheduled jobs as containers created but not started: run one by hand with its runCommand.
  const crons = Object.fromEntries(
    settings.services.flatMap((service) =>
      service.kind === "cron"
        ? [
            [
              service.name,
              new ScheduledTask(
                service.name,
                {
                  ...onDocker(service),
                  schedule: service.schedule,
                },
                { providers: [providers.docker] },
              ),
            ],
          ]
        : [],
    ),
  );

  return {
    environment: settings.environment,
    dockerNetwork: local.networkName,
    databaseHost: database.host,
    databasePort: database.port,
    databaseName: database.databaseName,
    databaseUrl: database.url,
    cacheHost: cache.host,
    cachePort: cache.port,
    cacheUrl: cache.url,
    apiUrl: api.url,
    apiHealthUrl: api.healthUrl,
    apiImage: api.imageRef,
    ...(settings.services.length === 0
      ? {}
      : {
          services: Object.fromEntries([
            ...Object.entries(http).map(([name, service]) => [
              name,
              { kind: "http", url: service.url, healthUrl: service.healthUrl, image: service.imageRef },
            ]),
            ...Object.entries(workers).map(([name, worker]) => [
              name,
              { kind: "worker", container: worker.local.containerName, image: worker.imageRef },
            ]),
            ...Object.entries(crons).map(([name, cron]) => [
              name,
              { kind: "cron", runCommand: cron.runCommand, image: cron.imageRef },
            ]),
          ]),
        }),
  };
}
