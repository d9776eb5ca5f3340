/** The rules of `services` across keys: which keys each kind takes, hosts, references, images and sizes. */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { FARGATE_MEMORY_BY_CPU } from "../components/aws-facts";
import { SECRET_LIKE } from "../components/api-service/checks";
import { asleepRun } from "../components/office-hours/asleep-runs";
import { isTimeZone, type OfficeHours } from "../components/office-hours/hours";
import { scheduleExpressionProblems } from "../components/scheduled-task/schedule";
import { imageSourceOf, imageSourceProblems } from "../components/api-service/image";
import type { ConfigProblem, ParsedConfig, ServiceKind } from "./config";

type ServiceConfig = NonNullable<ParsedConfig["services"]>[string];
type ServiceKey = keyof ServiceConfig;

/** The most services a stack declares besides the API; its listener rules take priorities per service (stacks/). */
export const MAX_SERVICES = 9;

/** Keys only some kinds take, with why the others do not. */
const KIND_KEYS: ReadonlyArray<readonly [ServiceKey, readonly ServiceKind[], string]> = [
  ["port", ["http"], "a worker or cron has no load balancer, so nothing connects to a port"],
  ["host", ["http"], "only an http service has a public host name"],
  ["healthCheckPath", ["http"], "only an http service is checked by the load balancer"],
  ["minTasks", ["http", "worker"], "a cron runs one task per schedule"],
  ["maxTasks", ["http", "worker"], "a cron runs one task per schedule"],
  [
    "migration",
    ["http"],
    "migrations gate an http service's release; a worker or cron can read the schema its http service migrated",
  ],
  ["queue", ["worker"], "only a worker scales on a queue's depth"],
  ["mount", ["http", "worker"], "a cron's local container runs the image as built"],
  ["schedule", ["cron"], "an http service or a worker runs all the time"],
  ["timezone", ["cron"], "only a cron has a schedule"],
  [
    "timeoutMinutes",
    ["cron"],
    "an http service or a worker runs all the time; a migration has migration.timeoutSeconds",
  ],
  ["retries", ["cron"], "only a cron's runs are retried"],
];

/** Keys of a service that mean nothing on Docker (dev runs each service as one local container). */
const DEV_IGNORED: readonly ServiceKey[] = ["cpu", "memory", "minTasks", "maxTasks", "queue", "migration", "host"];

/**
 * Names a service cannot take: the stack's own components and the ids their resources are named after (a service
 * named `db` would declare the database's alarms a second time, `web` production's uptime check of the frontend).
 */
export const RESERVED_SERVICE_NAMES = [
  "api",
  "web",
  "db",
  "database",
  "cache",
  "network",
  "dns",
  "monitoring",
  "office-hours",
  "origin",
  "sentry",
  "staging",
  "uptime",
  "budget",
  "dashboard",
] as const;

/**
 * Whether a host label would take a name another stack of the zone owns: staging's web name (`staging`), an API's
 * (`api-<stack>`), or a name of staging's or a preview's services (`<label>-staging`, `<label>-pr-<n>`).
 */
function hostLabelProblem(label: string): string | undefined {
  if (label === "www" || label === "staging") return `cannot be "${label}": the frontend is served there`;
  if (label.startsWith("api-")) return `cannot start with "api-": the API's names of other stacks do (got "${label}")`;
  if (/-(staging|pr-\d+)$/.test(label)) {
    return `cannot end in -staging or -pr-<number>: staging's and previews' names of a service do (got "${label}")`;
  }
  return undefined;
}

/** A service's public host label: its `host`, or its name. */
export const hostOf = (name: string, service: Pick<ServiceConfig, "host">): string => service.host ?? name;

/** Rules on `services` and `appSecrets` that need only the stack file (every key valid on its own). */
export function serviceProblems(
  c: Partial<ParsedConfig>,
  ns: (path: readonly PropertyKey[]) => string,
  /** Whether `appSecrets` was set with `--secret`. */
  appSecretsEncrypted: boolean,
  /** Values of `appSecrets` the stack file holds in plain text beside encrypted ones (`appSecrets.<name>`). */
  plainSecretPaths: readonly string[] = [],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const services = Object.entries(c.services ?? {});
  if (c.appSecrets !== undefined && !appSecretsEncrypted) {
    problems.push({
      key: ns(["appSecrets"]),
      message:
        "must be set with --secret, so its values are encrypted in the stack file: pulumi config set --secret --path 'appSecrets.<name>' <value>",
    });
  }
  for (const path of plainSecretPaths) {
    problems.push({
      key: ns([path]),
      message: `is stored in plain text in the stack file, beside encrypted values: set it again with pulumi config set --secret --path '${path}' <value>`,
    });
  }
  if (services.length > MAX_SERVICES) {
    problems.push({
      key: ns(["services"]),
      message: `may declare at most ${MAX_SERVICES} services besides the API (got ${services.length})`,
    });
  }
  const hosts = new Map<string, string>([["api", "the API (the api key)"]]);
  for (const [name, service] of services) {
    const key = (...path: string[]) => ns(["services", name, ...path]);
    if (name === "api") {
      problems.push({
        key: key(),
        message:
          "is the API, set under the api key (it owns the load balancer and cluster); give this service another name",
      });
      continue;
    }
    if ((RESERVED_SERVICE_NAMES as readonly string[]).includes(name) || /^cache-\d+$/.test(name)) {
      problems.push({
        key: key(),
        message: `is a name the stack's own resources use (${RESERVED_SERVICE_NAMES.filter((n) => n !== "api").join(", ")}, cache-<n>); give this service another name`,
      });
      continue;
    }
    for (const [field, kinds, why] of KIND_KEYS) {
      if (service[field] !== undefined && !kinds.includes(service.kind)) {
        problems.push({
          key: key(field),
          message: `is for ${kinds.join(" and ")} services, not ${service.kind}: ${why}`,
        });
      }
    }
    if (service.image !== undefined && service.build !== undefined) {
      problems.push({
        key: key("image"),
        message: `and services.${name}.build are both set: give a prebuilt image or a build context, not both`,
      });
    }
    if (service.image === undefined && service.build === undefined) {
      problems.push({
        key: key("build"),
        message: `or services.${name}.image must be set: the service's build context (such as examples/ai) or a prebuilt image (not set)`,
      });
    }
    // The scheduled job's own rules (components/scheduled-task), reported under the stack file's keys.
    for (const problem of service.schedule === undefined ? [] : scheduleExpressionProblems(service.schedule)) {
      problems.push({ key: key("schedule"), message: problem.replace(/^schedule /, "") });
    }
    if (service.timezone !== undefined && !isTimeZone(service.timezone)) {
      problems.push({
        key: key("timezone"),
        message: `must be an IANA time zone such as UTC or Europe/Dublin (got "${service.timezone}")`,
      });
    }
    for (const variable of Object.keys(service.environment ?? {}).filter((v) => SECRET_LIKE.test(v))) {
      problems.push({
        key: key("environment", variable),
        message: `looks like a credential: move it to services.${name}.secrets (a reference such as appSecrets.<name>)`,
      });
    }
    if (service.kind === "cron" && service.schedule === undefined) {
      problems.push({
        key: key("schedule"),
        message: "is required for a cron: an expression such as cron(0 3 * * ? *) or rate(1 hour) (not set)",
      });
    }
    if (service.kind === "http") {
      const host = hostOf(name, service);
      const owner = hosts.get(host);
      if (owner !== undefined) {
        problems.push({
          key: key("host"),
          message:
            service.host === undefined
              ? `is not set, so the name "${host}" is the host, which is already the host of ${owner}; set another label`
              : `"${host}" is already the host of ${owner}; give each http service its own host`,
        });
      } else hosts.set(host, `services.${name}`);
      const hostProblem = hostLabelProblem(host);
      if (hostProblem !== undefined) {
        problems.push({
          key: key("host"),
          message:
            service.host === undefined ? `is not set, so the name is the host, which ${hostProblem}` : hostProblem,
        });
      }
    }
    if (service.minTasks !== undefined && service.maxTasks !== undefined && service.minTasks > service.maxTasks) {
      problems.push({
        key: key("minTasks"),
        message: `must not exceed services.${name}.maxTasks (${service.maxTasks}) (got ${service.minTasks})`,
      });
    }
    for (const [variable, reference] of Object.entries(service.secrets ?? {})) {
      if (!reference.startsWith("appSecrets.")) continue;
      const secret = reference.slice("appSecrets.".length);
      if (c.appSecrets?.[secret] === undefined) {
        problems.push({
          key: key("secrets", variable),
          message: `refers to appSecrets.${secret}, which this stack file does not set: pulumi config set --secret --path 'appSecrets.${secret}' <value>`,
        });
      }
    }
    const both = Object.keys(service.environment ?? {}).filter((v) => v in (service.secrets ?? {}));
    for (const variable of both) {
      problems.push({
        key: key("environment", variable),
        message: `is also in services.${name}.secrets; keep one`,
      });
    }
    if (service.mount !== undefined && c.environment !== undefined && c.environment !== "dev") {
      problems.push({
        key: key("mount"),
        message: `is for dev, where it bind-mounts your sources for hot reload; a ${c.environment} stack runs the image as built`,
      });
    } else if (
      service.mount !== undefined &&
      !statSync(resolve(service.mount.hostPath), { throwIfNoEntry: false })?.isDirectory()
    ) {
      problems.push({
        key: key("mount", "hostPath"),
        message: `must be an existing folder, relative to the project (got "${service.mount.hostPath}")`,
      });
    }
    if (c.environment === "dev") {
      for (const field of DEV_IGNORED) {
        if (service[field] !== undefined) {
          problems.push({
            key: key(field),
            message: "has no effect in dev: each service runs as one local container; remove it",
          });
        }
      }
    }
  }
  return problems;
}

/** Rules on a service after the preset fills its sizes, and on its image source (the build context must exist). */
export function resolvedServiceProblems(
  services: readonly {
    readonly name: string;
    readonly kind: ServiceKind;
    readonly cpu: number;
    readonly memory: number;
    readonly queue?: unknown;
    readonly schedule?: string;
    readonly timezone?: string;
  }[],
  config: Partial<ParsedConfig>,
  project: string,
  stack: {
    /** Whether the services run on Fargate (cloud stacks), where sizes, queues and office hours apply. */
    readonly fargate: boolean;
    /** Whether the cluster has Container Insights (the preset's or monitoring.containerInsights); default true. */
    readonly containerInsights?: boolean;
    /** When the stack is awake (the preset's or the file's `officeHours`); default always. */
    readonly officeHours?: OfficeHours | "always";
  },
): ConfigProblem[] {
  const { fargate, containerInsights = true, officeHours = "always" } = stack;
  const problems: ConfigProblem[] = [];
  for (const service of services) {
    const key = (field: string) => `${project}:services.${service.name}.${field}`;
    const schedule = service.schedule ?? "";
    // A schedule with a problem of its own is reported once, by its own check.
    if (fargate && officeHours !== "always" && schedule !== "" && scheduleExpressionProblems(schedule).length === 0) {
      const asleep = asleepRun(schedule, service.timezone ?? "UTC", officeHours);
      const { days, from, to, timezone } = officeHours;
      if (asleep !== undefined) {
        problems.push({
          key: key("schedule"),
          message: `runs while the stack sleeps (${asleep}; awake ${days} ${from}:00 to ${to}:00 ${timezone}), when its database is stopped and its alarms silenced, so those runs fail unseen: schedule it inside office hours, such as cron(30 ${from} ? * ${days} *) with timezone ${timezone}, or set officeHours: always (got "${schedule}")`,
        });
      }
    }
    if (fargate && service.queue !== undefined && !containerInsights) {
      problems.push({
        key: key("queue"),
        message:
          "needs monitoring.containerInsights: true: scaling on the backlog per task divides the queue's depth by Container Insights' RunningTaskCount (components/worker-service)",
      });
    }
    // A cpu Fargate does not offer is the schema's problem (reported at services.<name>.cpu); no list to quote here.
    const allowed = FARGATE_MEMORY_BY_CPU[service.cpu];
    if (fargate && allowed !== undefined && !allowed.includes(service.memory)) {
      problems.push({
        key: key("memory"),
        message: `must be a memory size Fargate offers for cpu ${service.cpu}: ${allowed.join(", ")} MiB (got ${service.memory})`,
      });
    }
    const file = config.services?.[service.name];
    const source = file === undefined ? undefined : imageSourceOf(file);
    for (const problem of source === undefined ? [] : imageSourceProblems(source)) {
      const [field = "", ...rest] = problem.split(" ");
      const stackKey = IMAGE_KEYS[field];
      if (stackKey !== undefined) problems.push({ key: key(stackKey), message: rest.join(" ") });
    }
  }
  return problems;
}

/** Where a service's image fields live under `services.<name>`. */
const IMAGE_KEYS: Readonly<Record<string, string>> = {
  "image.image": "image",
  "image.build.context": "build.context",
  "image.build.dockerfile": "build.dockerfile",
  "image.tag": "imageTag",
};
