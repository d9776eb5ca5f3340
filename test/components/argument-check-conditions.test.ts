// The components' argument checks, condition by condition, called directly with plain args: for each condition a
// value just inside and one just outside its boundary, each half of an `&&`/`||` broken alone, each anchor of a
// pattern given something before or after, and the exact words a user reads. The cases other tests already pin
// (argument-checks, *-details, helpers) are not repeated here.
import { validateApiServiceArgs, type ApiServiceArgs } from "../../components/api-service/api-service";
import { containerHealthCheckProblem } from "../../components/api-service/health";
import { environmentProblems, fargateSizeProblems } from "../../components/api-service/checks";
import { migrationProblems } from "../../components/api-service/migration";
import { connectionProblems } from "../../components/api-service/connections";
import { imageSourceProblems } from "../../components/api-service/image";
import { validateWorkerServiceArgs, type WorkerServiceArgs } from "../../components/worker-service/worker-service";
import { validateScheduledTaskArgs } from "../../components/scheduled-task/scheduled-task";
import { validateMonitoringArgs, type MonitoringBundleArgs } from "../../components/monitoring/monitoring-bundle";
import { validateDnsZoneArgs, type DnsZoneArgs } from "../../components/dns-zone/dns-zone";
import { rateLimitProblems } from "../../components/dns-zone/plans";
import {
  validateOriginAuthenticationArgs,
  type OriginAuthenticationArgs,
} from "../../components/dns-zone/origin-authentication";
import { problemsOf, SHARED_LOAD_BALANCER } from "../helpers/checks";

const DOCKER_FORM =
  'must be a command in Docker\'s form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"]';

describe("ApiService: validateApiServiceArgs", () => {
  const aws = { target: "aws", network: {} as never, certificateArn: "arn", image: { image: "nginx:1" } } as const;
  const docker = { target: "docker", network: {} as never, image: { image: "nginx:1" } } as const;
  const problems = (changes: object, base: ApiServiceArgs = aws) =>
    problemsOf("ApiService", "api", () => validateApiServiceArgs("api", { ...base, ...changes }));

  test("the smallest args pass in both variants", () => {
    expect(problems({})).toEqual([]);
    expect(problems({}, docker)).toEqual([]);
  });

  describe("healthCheckPath: a path starting with /, without spaces", () => {
    test.each(["/", "/health", "/a/b/c", "/health?deep=1", "/ready-1_x.y"])("%j passes", (healthCheckPath) => {
      expect(problems({ healthCheckPath })).toEqual([]);
      expect(problems({ healthCheckPath }, docker)).toEqual([]);
    });

    test.each([
      ["no leading slash", "health"],
      ["something before the slash", "x/health"],
      ["a space before the slash", " /health"],
      ["a space inside", "/a b"],
      ["a space after", "/health "],
      ["a tab after", "/health\t"],
      ["a space alone after the slash", "/ "],
      ["nothing at all", ""],
    ])("%s (%j) is refused, with the value given", (_, healthCheckPath) => {
      const problem = `healthCheckPath must be a path starting with / (got "${healthCheckPath}")`;
      expect(problems({ healthCheckPath })).toEqual([problem]);
      expect(problems({ healthCheckPath }, docker)).toEqual([problem]);
    });

    test("left out, the default /health passes", () => {
      expect(problems({ healthCheckPath: undefined })).toEqual([]);
    });
  });

  describe("task counts in AWS: at least 1, the floor not above the ceiling", () => {
    test.each([
      [1, 4],
      [4, 4],
      [1, 1],
    ])("minTasks %p with maxTasks %p passes", (minTasks, maxTasks) => {
      expect(problems({ minTasks, maxTasks })).toEqual([]);
    });

    test("minTasks 1 passes with the default ceiling", () => {
      expect(problems({ minTasks: 1 })).toEqual([]);
    });

    test.each([0, -1, 1.5])("minTasks %p is refused", (minTasks) => {
      expect(problems({ minTasks })).toEqual([`minTasks must be at least 1 (got ${minTasks})`]);
    });

    test("a floor above the ceiling, by one", () => {
      expect(problems({ minTasks: 5, maxTasks: 4 })).toEqual([
        "minTasks (5) must not exceed maxTasks (4); raise maxTasks or lower minTasks",
      ]);
      // The default floor is 2.
      expect(problems({ maxTasks: 1 })).toEqual([
        "minTasks (2) must not exceed maxTasks (1); raise maxTasks or lower minTasks",
      ]);
    });

    test.each([2.5, Number.NaN])("maxTasks %p is not a whole number, and is not compared with minTasks", (maxTasks) => {
      expect(problems({ minTasks: 1, maxTasks })).toEqual([`maxTasks must be a whole number (got ${maxTasks})`]);
    });

    test("a floor of 0 above a ceiling of -1 gets both problems", () => {
      expect(problems({ minTasks: 0, maxTasks: -1 })).toEqual([
        "minTasks must be at least 1 (got 0)",
        "minTasks (0) must not exceed maxTasks (-1); raise maxTasks or lower minTasks",
      ]);
    });
  });

  describe("ports", () => {
    test.each([1, 65535])("containerPort %p passes in both variants", (containerPort) => {
      expect(problems({ containerPort })).toEqual([]);
      expect(problems({ containerPort }, docker)).toEqual([]);
    });

    test.each([0, 65536, 80.5])("containerPort %p is refused in both variants", (containerPort) => {
      const problem = `containerPort must be a port from 1 to 65535 (got ${containerPort})`;
      expect(problems({ containerPort })).toEqual([problem]);
      expect(problems({ containerPort }, docker)).toEqual([problem]);
    });

    test.each([1, 65535])("the local hostPort %p passes", (hostPort) => {
      expect(problems({ hostPort }, docker)).toEqual([]);
    });

    test.each([0, 65536])("the local hostPort %p is refused", (hostPort) => {
      expect(problems({ hostPort }, docker)).toEqual([`hostPort must be a port from 1 to 65535 (got ${hostPort})`]);
    });

    test("hostPort is a local arg: the AWS variant does not check it", () => {
      expect(problems({ hostPort: 0 })).toEqual([]);
    });
  });

  test("a container health check in Docker's form passes; another is refused with what was given", () => {
    expect(problems({ containerHealthCheck: ["CMD", "true"] })).toEqual([]);
    expect(problems({ containerHealthCheck: ["CMD"] })).toEqual([`containerHealthCheck ${DOCKER_FORM} (got ["CMD"])`]);
    expect(problems({ containerHealthCheck: ["sh", "-c", "true"] }, docker)).toEqual([
      `containerHealthCheck ${DOCKER_FORM} (got ["sh","-c","true"])`,
    ]);
  });

  test("plain values that look like credentials, or are also secrets, in both variants", () => {
    expect(problems({ environment: { JWT_SECRET: "x" } }, docker)).toEqual([
      "environment must not carry credentials: move JWT_SECRET to secrets (injected from Secrets Manager)",
    ]);
    expect(problems({ environment: { REGION: "eu" }, secrets: { REGION: "arn" } })).toEqual([
      "REGION is set in both environment and secrets; keep one",
    ]);
  });

  test("size, retention, images and capacity are checked in AWS, with their exact words", () => {
    expect(problems({ cpu: 1024, memory: 8192 })).toEqual([]);
    expect(problems({ cpu: 1024, memory: 9216 })).toEqual([
      "memory must be one Fargate offers for cpu 1024: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB (got 9216)",
    ]);
    expect(problems({ logRetentionDays: 1 })).toEqual([]);
    expect(problems({ logRetentionDays: 2 })).toEqual(["logRetentionDays must be a period CloudWatch accepts (got 2)"]);
    expect(problems({ keepImages: 1 })).toEqual([]);
    expect(problems({ keepImages: 0 })).toEqual(["keepImages must be at least 1 (got 0)"]);
    expect(problems({ capacity: "FARGATE_SPOT" })).toEqual([]);
    expect(problems({ capacity: "EC2" })).toEqual(['capacity must be "FARGATE" or "FARGATE_SPOT" (got "EC2")']);
    expect(problems({ permissions: [{ actions: ["sqs:*"], resources: ["arn:q"] }] })).toEqual([
      "permissions[0].actions must name actions, not wildcards (got sqs:*)",
    ]);
  });

  test("connections and the migration are checked in AWS", () => {
    expect(problems({ connections: [{ name: "db", securityGroupId: "sg", port: 65536 }] })).toEqual([
      "connections[0].port must be a port from 1 to 65535 (got 65536)",
    ]);
    expect(problems({ migration: { command: ["migrate"], secrets: ["DATABASE_URL"] } })).toEqual([
      "migration.secrets must name secrets of the service: DATABASE_URL is not one (it has none)",
    ]);
  });

  test("the AWS checks do not apply locally", () => {
    expect(
      problems(
        {
          cpu: 300,
          minTasks: 0,
          maxTasks: -1,
          logRetentionDays: 2,
          keepImages: 0,
          capacity: "EC2",
          publicIpv4: false,
          connections: [{ name: "DB", securityGroupId: "sg", port: 0 }],
          migration: { command: [] },
        },
        docker,
      ),
    ).toEqual([]);
  });

  describe("joining another stack's load balancer", () => {
    const join = (changes: object) => problems({ sharedLoadBalancer: { ...SHARED_LOAD_BALANCER, ...changes } });
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `api-${i}.example.com`);

    test.each([1, 50000])("rule priority %p passes", (priority) => {
      expect(join({ priority })).toEqual([]);
    });

    test.each([0, 50001, 1.5])("rule priority %p is refused", (priority) => {
      expect(join({ priority })).toEqual([
        `sharedLoadBalancer.priority must be a whole number from 1 to 50000 (got ${priority})`,
      ]);
    });

    test.each([1, 5])("%p hostnames pass", (n) => {
      expect(join({ hostnames: hosts(n) })).toEqual([]);
    });

    test("6 hostnames are more than a host-header rule matches", () => {
      expect(join({ hostnames: hosts(6) })).toEqual([
        "sharedLoadBalancer.hostnames must list 1 to 5 hostnames, the most a host-header rule matches (got 6)",
      ]);
    });

    test("a plain name is checked whole (not as if it were a wildcard), a wildcard after its *.", () => {
      expect(join({ hostnames: ["ab.example.com", "*.ab.example.com"] })).toEqual([]);
      expect(join({ hostnames: ["*.", "*", "a.*.example.com", "x*.example.com", "*.Api.example.com"] })).toEqual([
        "sharedLoadBalancer.hostnames must be DNS names (got *., *, a.*.example.com, x*.example.com, *.Api.example.com)",
      ]);
    });

    test("a shared listener brings its own mutual TLS: a trust store is refused only when joining one", () => {
      expect(problems({ clientCertificateTrustStoreArn: "arn:ts" })).toEqual([]);
      expect(join({})).toEqual([]);
      expect(problems({ sharedLoadBalancer: SHARED_LOAD_BALANCER, clientCertificateTrustStoreArn: "arn:ts" })).toEqual([
        "clientCertificateTrustStoreArn is for an own load balancer: a service joining another stack's listener gets that listener's mutual TLS",
      ]);
    });
  });

  describe("publicIpv4: false (an IPv6-only load balancer behind an edge proxy)", () => {
    const ipv6 = { ipv6: true } as never;
    const noIpv6 = { ipv6: false } as never;
    const NEEDS_IPV6 =
      "publicIpv4: false needs a network with ipv6 (the load balancer's public side is then IPv6 only)";
    const NEEDS_EDGE =
      "publicIpv4: false is for a load balancer behind an edge proxy (set ingressPrefixListIds to its ranges): IPv4-only clients could not reach it directly";

    test("with an IPv6 network and the edge's ranges it passes", () => {
      expect(problems({ publicIpv4: false, network: ipv6, ingressPrefixListIds: ["pl-1"] })).toEqual([]);
    });

    test("each missing piece alone", () => {
      expect(problems({ publicIpv4: false, network: noIpv6, ingressPrefixListIds: ["pl-1"] })).toEqual([NEEDS_IPV6]);
      expect(problems({ publicIpv4: false, network: ipv6 })).toEqual([NEEDS_EDGE]);
      expect(problems({ publicIpv4: false, network: ipv6, ingressPrefixListIds: [] })).toEqual([NEEDS_EDGE]);
      expect(problems({ publicIpv4: false, network: noIpv6 })).toEqual([NEEDS_IPV6, NEEDS_EDGE]);
    });

    test("with public IPv4 (the default, or given) neither is needed", () => {
      expect(problems({ network: noIpv6 })).toEqual([]);
      expect(problems({ publicIpv4: true, network: noIpv6 })).toEqual([]);
    });

    test("joining another stack's load balancer, whose public side is not this service's, neither is needed", () => {
      expect(problems({ publicIpv4: false, network: noIpv6, sharedLoadBalancer: SHARED_LOAD_BALANCER })).toEqual([]);
    });
  });

  test("the image source is checked in both variants", () => {
    expect(problems({ image: undefined })).toEqual([
      "image must be given: { image: <reference> } or { build: { context } }",
    ]);
    expect(problems({ image: { image: "nginx:1 " } }, docker)).toEqual([
      'image.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got "nginx:1 ")',
    ]);
  });
});

describe("api-service parts", () => {
  test("containerHealthCheckProblem: the exact words, for each way a command is wrong", () => {
    expect(containerHealthCheckProblem(["CMD-SHELL", "x"])).toBeUndefined();
    expect(containerHealthCheckProblem(["CMD", "x", "y"])).toBeUndefined();
    for (const check of [["CMD"], ["CMD-SHELL", ""], ["CMD-SHELL ", "x"], [" CMD", "x"], ["RUN", "x"]]) {
      expect(containerHealthCheckProblem(check)).toBe(DOCKER_FORM);
    }
  });

  test("environmentProblems: a name only in secrets, or only in environment, is set once", () => {
    expect(environmentProblems({ REGION: "eu" }, { DATABASE_URL: "arn" })).toEqual([]);
    expect(environmentProblems(undefined, { REGION: "arn" })).toEqual([]);
    expect(environmentProblems({ my_access_key: "x" }, {})).toEqual([
      "environment must not carry credentials: move my_access_key to secrets (injected from Secrets Manager)",
    ]);
  });

  test("fargateSizeProblems: the smallest and largest memory of a cpu pass, one step beyond does not", () => {
    expect(fargateSizeProblems(512, 1024)).toEqual([]);
    expect(fargateSizeProblems(512, 4096)).toEqual([]);
    expect(fargateSizeProblems(512, 512)).toEqual([
      "memory must be one Fargate offers for cpu 512: 1024, 2048, 3072, 4096 MiB (got 512)",
    ]);
    expect(fargateSizeProblems(512, 5120)).toEqual([
      "memory must be one Fargate offers for cpu 512: 1024, 2048, 3072, 4096 MiB (got 5120)",
    ]);
  });

  test("migrationProblems: a timeout at its limits, named secrets the service has", () => {
    expect(migrationProblems({ command: ["m"], timeoutSeconds: 60 }, {})).toEqual([]);
    expect(migrationProblems({ command: ["m"], timeoutSeconds: 3600 }, {})).toEqual([]);
    expect(migrationProblems({ command: ["m"], timeoutSeconds: 59.5 }, {})).toEqual([
      "migration.timeoutSeconds must be a whole number of seconds from 60 to 3600 (got 59.5)",
    ]);
    expect(migrationProblems({ command: ["m"], secrets: [] }, { A: "arn" })).toEqual([]);
    expect(migrationProblems({ command: ["m"], secrets: ["B"] }, { C: "arn", A: "arn" })).toEqual([
      "migration.secrets must name secrets of the service: B is not one (it has A, C)",
    ]);
  });

  test("connectionProblems: a 63-character name passes, a name with a space or a trailing newline does not", () => {
    expect(connectionProblems([{ name: `a${"b".repeat(62)}`, port: 1 }])).toEqual([]);
    expect(connectionProblems([{ name: "db x", port: 1 }])).toEqual([
      'connections[0].name must be lowercase letters, digits and hyphens (got "db x")',
    ]);
    expect(connectionProblems([{ name: "db\n", port: 65535 }])).toEqual([
      'connections[0].name must be lowercase letters, digits and hyphens (got "db\n")',
    ]);
    expect(connectionProblems([])).toEqual([]);
  });

  test("imageSourceProblems: a reference starts with a lowercase letter or digit and has no space anywhere", () => {
    expect(imageSourceProblems({ image: "9" })).toEqual([]);
    for (const image of ["nginx:1\n", "nginx :1", "/nginx", ":1"]) {
      expect(imageSourceProblems({ image })).toEqual([
        `image.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got ${JSON.stringify(image)})`,
      ]);
    }
  });
});

describe("WorkerService: validateWorkerServiceArgs", () => {
  const CLUSTER = { arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/app", name: "app" };
  const base = { target: "aws", network: {} as never, cluster: CLUSTER, image: { image: "nginx:1" } } as const;
  const docker = { target: "docker", network: {} as never, image: { image: "nginx:1" } } as const;
  const problems = (changes: object, from: WorkerServiceArgs = base) =>
    problemsOf("WorkerService", "worker", () => validateWorkerServiceArgs("worker", { ...from, ...changes }));

  test("queue scaling with one task of room passes; none is refused", () => {
    const queue = { queueName: "jobs", messagesPerTask: 1 };
    const cluster = { ...CLUSTER, containerInsights: true };
    expect(problems({ queue, cluster, minTasks: 3, maxTasks: 4 })).toEqual([]);
    expect(problems({ queue, cluster, minTasks: 1, maxTasks: 1 })).toEqual([
      "queue scaling needs room to scale: maxTasks (1) must exceed minTasks (1)",
    ]);
  });

  test("a queue name with something before or after the allowed characters is refused", () => {
    const cluster = { ...CLUSTER, containerInsights: true };
    for (const queueName of [" jobs", "jobs ", "jobs.fifo ", "https://sqs/jobs"]) {
      expect(problems({ queue: { queueName, messagesPerTask: 1 }, cluster, maxTasks: 4 })).toEqual([
        `queue.queueName must be an SQS queue name (up to 80 letters, digits, - and _; a FIFO queue's ends in .fifo), not its URL or ARN (got "${queueName}")`,
      ]);
    }
  });

  test("the image and the environment are checked in both variants", () => {
    expect(problems({ image: undefined }, docker)).toEqual([
      "image must be given: { image: <reference> } or { build: { context } }",
    ]);
    expect(problems({ environment: { A: "1" }, secrets: { A: "s" } }, docker)).toEqual([
      "A is set in both environment and secrets; keep one",
    ]);
    expect(problems({ containerHealthCheck: ["CMD", ""] }, docker)).toEqual([
      `containerHealthCheck ${DOCKER_FORM} (got ["CMD",""])`,
    ]);
  });
});

describe("ScheduledTask: validateScheduledTaskArgs", () => {
  const base = {
    target: "aws",
    network: {} as never,
    cluster: { arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/app", name: "app" },
    image: { image: "nginx:1" },
    schedule: "rate(1 day)",
  } as const;
  const problems = (changes: object) =>
    problemsOf("ScheduledTask", "nightly", () => validateScheduledTaskArgs("nightly", { ...base, ...changes }));
  const timeout = (got: number) =>
    `timeoutMinutes must be a whole number from 1 to 525600 (a year, the longest a Step Functions execution runs) (got ${got})`;
  const retries = (got: number) => `retries must be a whole number from 0 to 10 (got ${got})`;
  const tooLong = (t: number, runs: number) =>
    `timeoutMinutes × (retries + 1) must fit in one Step Functions execution (a year): lower timeoutMinutes or retries (got ${t} × ${runs})`;

  test.each([
    [1, 0],
    [525600, 0],
    [60, 10],
  ])("timeoutMinutes %p with retries %p passes", (timeoutMinutes, r) => {
    expect(problems({ timeoutMinutes, retries: r })).toEqual([]);
  });

  test("timeoutMinutes 0, or a minute more than a year, is refused", () => {
    expect(problems({ timeoutMinutes: 0, retries: 0 })).toEqual([timeout(0)]);
    expect(problems({ timeoutMinutes: -1 })).toEqual([timeout(-1)]);
    expect(problems({ timeoutMinutes: 525601, retries: 0 })).toEqual([timeout(525601)]);
  });

  test("retries -1 or 11 are refused", () => {
    expect(problems({ retries: -1 })).toEqual([retries(-1)]);
    expect(problems({ timeoutMinutes: 1, retries: 11 })).toEqual([retries(11)]);
  });

  test("the runs and the waits between them must fit in a year, exactly at the limit included", () => {
    // 3 runs of 175199 minutes and waits of 1 + 2 minutes: 525600, a year exactly.
    expect(problems({ timeoutMinutes: 175199, retries: 2 })).toEqual([]);
    expect(problems({ timeoutMinutes: 175200, retries: 2 })).toEqual([tooLong(175200, 3)]);
    expect(problems({ timeoutMinutes: 262799, retries: 1 })).toEqual([]);
  });

  test("an invalid retry count is not also compared with a year", () => {
    expect(problems({ timeoutMinutes: 525600, retries: 11 })).toEqual([retries(11)]);
    expect(problems({ timeoutMinutes: 525600, retries: -1 })).toEqual([retries(-1)]);
  });

  test("memory, retention and permissions, with their exact words", () => {
    expect(problems({ cpu: 256, memory: 2048 })).toEqual([]);
    expect(problems({ cpu: 256, memory: 3072 })).toEqual([
      "memory must be one Fargate offers for cpu 256: 512, 1024, 2048 MiB (got 3072)",
    ]);
    expect(problems({ logRetentionDays: 3653 })).toEqual([]);
    expect(problems({ logRetentionDays: 3654 })).toEqual([
      "logRetentionDays must be a period CloudWatch accepts (got 3654)",
    ]);
    expect(problems({ permissions: [{ actions: ["*"], resources: [] }] })).toEqual([
      "permissions[0].actions must name actions, not wildcards (got *)",
      "permissions[0].resources must list at least one ARN",
    ]);
  });

  test("the image is checked", () => {
    expect(problems({ image: { image: "Nginx" } })).toEqual([
      'image.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got "Nginx")',
    ]);
  });

  test("no command passes; a schedule group left out passes", () => {
    expect(problems({ command: undefined, scheduleGroupName: undefined })).toEqual([]);
  });
});

describe("MonitoringBundle: validateMonitoringArgs", () => {
  const valid: MonitoringBundleArgs = { production: true, emails: ["oncall@acme-app.com"], watch: {} };
  const problems = (changes: Partial<MonitoringBundleArgs>) =>
    problemsOf("MonitoringBundle", "monitoring", () => validateMonitoringArgs("monitoring", { ...valid, ...changes }));

  test("usEast1 without uptime checks passes", () => {
    expect(problems({ usEast1: {} as never })).toEqual([]);
  });

  test("an uptime URL with a path of one character, or ending in a slash, passes; a space in the host does not", () => {
    const usEast1 = {} as never;
    expect(problems({ uptime: { apiHealthUrl: "https://a.b/", webUrl: "https://a.b/x" }, usEast1 })).toEqual([]);
    expect(problems({ uptime: { webUrl: "https://a b.com" }, usEast1 })).toEqual([
      'uptime.webUrl must be an https:// URL (got "https://a b.com")',
    ]);
  });

  test("a budget given as undefined keeps the default", () => {
    expect(problems({ monthlyBudgetUsd: undefined })).toEqual([]);
  });
});

describe("DnsZone: validateDnsZoneArgs and rateLimitProblems", () => {
  const ZONE_ID = "fedcba9876543210fedcba9876543210";
  const adopted = (changes: Partial<DnsZoneArgs> = {}): DnsZoneArgs => ({
    zone: { existingZoneId: ZONE_ID },
    apexDomain: "acme-app.com",
    apiHostnames: ["api.acme-app.com"],
    ...changes,
  });
  const problems = (args: DnsZoneArgs) => problemsOf("DnsZone", "dns", () => validateDnsZoneArgs("dns", args));

  test("the apex alone: a DNS name", () => {
    expect(problems(adopted({ apexDomain: "acme-app.com.", apiHostnames: [] }))).toEqual([
      'apexDomain must be a DNS name (got "acme-app.com.")',
      "apiHostnames must list at least one hostname",
    ]);
  });

  test("an API hostname that is the apex itself passes", () => {
    expect(problems(adopted({ apiHostnames: ["acme-app.com"] }))).toEqual([]);
  });

  test("rate-limited host labels: a label with something before or after is refused", () => {
    expect(problems(adopted({ rateLimitedHostLabels: [" api", "api "] }))).toEqual([
      "rateLimitedHostLabels must be DNS labels such as api (got  api, api )",
    ]);
  });

  test("a ttl left out passes", () => {
    expect(problems(adopted({ ttl: undefined }))).toEqual([]);
  });

  test("an auth path with something before its slash, or after its last allowed character, is refused", () => {
    expect(
      rateLimitProblems("free", { auth: { requests: 1, periodSeconds: 10, paths: ["x/auth", "/auth\n"] } }),
    ).toEqual([["auth.paths", "must be URL paths such as /auth (got x/auth, /auth\n)"]]);
  });

  test("a second rule on a plan that allows two or more passes", () => {
    expect(rateLimitProblems("business", { api: { requests: 1, periodSeconds: 10 } })).toEqual([]);
  });
});

describe("OriginAuthentication: validateOriginAuthenticationArgs", () => {
  const args = (changes: Partial<OriginAuthenticationArgs>): OriginAuthenticationArgs => ({
    zoneId: "fedcba9876543210fedcba9876543210",
    hostnames: ["api.acme-app.com"],
    certificate: { create: true },
    ...changes,
  });
  const problems = (a: OriginAuthenticationArgs) =>
    problemsOf("OriginAuthentication", "origin", () => validateOriginAuthenticationArgs("origin", a));

  test("distinct hostnames pass; a wrong count is reported with a bad name", () => {
    expect(problems(args({ hostnames: ["a.acme-app.com", "b.acme-app.com"] }))).toEqual([]);
    expect(problems(args({ hostnames: ["a.acme-app.com."] }))).toEqual([
      "hostnames must be lowercase DNS names, no wildcards (got a.acme-app.com.)",
    ]);
  });
});
