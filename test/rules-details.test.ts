/**
 * Details of the config rules a user meets in a stack file's report, called through the loader (what `pulumi up`
 * prints) or directly with small explicit inputs: where an image source's problem lands (the stack-file key and the
 * rest of the component's sentence), which service keys pass on their own, the error's name, and the schema's own
 * issues for the rules it borrows from the components.
 */
import { join } from "node:path";
import { ConfigError, stackConfigSchema, type ConfigProblem } from "../infra/config";
import { loadSettings } from "../infra/environments";
import { parseConfig } from "../infra/parse-config";
import { resolvedServiceProblems, serviceProblems } from "../infra/service-rules";
import { API_CONTEXT } from "./helpers/synth";
import { rawConfig as raw } from "./helpers/config";

const P = "saas-platform";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const ns = (path: readonly PropertyKey[]): string => `${P}:${path.map(String).join(".")}`;

/** A staging file every rule accepts; each case adds or changes one thing. */
const STAGING = {
  environment: "staging",
  appName: "acme-app",
  domain: "staging.acme-app.com",
  awsRegion: "eu-west-1",
  alerts: { emails: ["ops@acme-app.com"] },
  api: { build: { context: API_CONTEXT }, certificateArn: CERT },
};

/** The error `fn` throws (the test fails if it throws none). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

/** The whole report `pulumi up` prints for a file the loader refuses. */
function report(values: Record<string, unknown>, stack: string): string {
  const error = thrown(() => loadSettings(raw(values, stack)));
  if (!(error instanceof ConfigError)) throw error;
  return error.message;
}

describe("a service's image source: the component's problem under the service's own stack-file key", () => {
  test("a build context that does not exist: the key is services.<name>.build.context, the message the rest", () => {
    expect(
      report({ ...STAGING, services: { worker: { kind: "worker", build: { context: "no/such/worker" } } } }, "staging"),
    ).toBe(
      [
        "Pulumi.staging.yaml has 1 configuration problem:",
        `  Pulumi.staging.yaml: ${P}:services.worker.build.context must be an existing folder (got "no/such/worker")`,
      ].join("\n"),
    );
  });

  test("a Dockerfile missing from the context: under services.<name>.build.dockerfile, words kept apart", () => {
    expect(
      report(
        {
          ...STAGING,
          services: { worker: { kind: "worker", build: { context: API_CONTEXT, dockerfile: "Worker.Dockerfile" } } },
        },
        "staging",
      ),
    ).toBe(
      [
        "Pulumi.staging.yaml has 1 configuration problem:",
        `  Pulumi.staging.yaml: ${P}:services.worker.build.dockerfile must be a file in the context (no ${join(API_CONTEXT, "Worker.Dockerfile")})`,
      ].join("\n"),
    );
  });

  test("called directly: every mapped field, each with the exact rest of the sentence", () => {
    const worker = [{ name: "worker", kind: "worker" as const, cpu: 256, memory: 512 }];
    expect(
      resolvedServiceProblems(
        worker,
        { services: { worker: { kind: "worker", build: { context: "no/such/worker" }, imageTag: "-x" } } },
        P,
        { fargate: true },
      ),
    ).toEqual<ConfigProblem[]>([
      { key: `${P}:services.worker.build.context`, message: 'must be an existing folder (got "no/such/worker")' },
      { key: `${P}:services.worker.imageTag`, message: 'must be a Docker tag such as a commit SHA (got "-x")' },
    ]);
    expect(
      resolvedServiceProblems(worker, { services: { worker: { kind: "worker", image: "Not An Image" } } }, P, {
        fargate: true,
      }),
    ).toEqual<ConfigProblem[]>([
      {
        key: `${P}:services.worker.image`,
        message: 'must be an image reference such as ghcr.io/acme/api:1.4.2 (got "Not An Image")',
      },
    ]);
    expect(
      resolvedServiceProblems(
        worker,
        { services: { worker: { kind: "worker", build: { context: API_CONTEXT, dockerfile: "Nope.Dockerfile" } } } },
        P,
        { fargate: true },
      ),
    ).toEqual<ConfigProblem[]>([
      {
        key: `${P}:services.worker.build.dockerfile`,
        message: `must be a file in the context (no ${join(API_CONTEXT, "Nope.Dockerfile")})`,
      },
    ]);
  });

  test("a service with neither image nor build has no image-source problem here (the stack-file rule reports it)", () => {
    expect(
      resolvedServiceProblems(
        [{ name: "worker", kind: "worker", cpu: 256, memory: 512 }],
        { services: { worker: { kind: "worker" } } },
        P,
        { fargate: true },
      ),
    ).toEqual([]);
    expect(
      report({ ...STAGING, services: { worker: { kind: "worker" } } }, "staging")
        .split("\n")
        .slice(1),
    ).toEqual([
      `  Pulumi.staging.yaml: ${P}:services.worker.build or services.worker.image must be set: the service's build context (such as examples/ai) or a prebuilt image (not set)`,
    ]);
  });
});

describe("the API's image source: the component's problem under the api key", () => {
  test("a build context that does not exist: the key is api.build.context, the message the rest", () => {
    expect(report({ ...STAGING, api: { build: { context: "no/such/api" }, certificateArn: CERT } }, "staging")).toBe(
      [
        "Pulumi.staging.yaml has 1 configuration problem:",
        `  Pulumi.staging.yaml: ${P}:api.build.context must be an existing folder (got "no/such/api")`,
      ].join("\n"),
    );
  });

  test("a Dockerfile missing from the context: under api.build.dockerfile", () => {
    expect(
      report(
        { ...STAGING, api: { build: { context: API_CONTEXT, dockerfile: "Prod.Dockerfile" }, certificateArn: CERT } },
        "staging",
      ),
    ).toBe(
      [
        "Pulumi.staging.yaml has 1 configuration problem:",
        `  Pulumi.staging.yaml: ${P}:api.build.dockerfile must be a file in the context (no ${join(API_CONTEXT, "Prod.Dockerfile")})`,
      ].join("\n"),
    );
  });
});

describe("a service's keys that pass on their own", () => {
  test("a prebuilt image alone is a complete source: no 'both set' problem, and the service keeps it", () => {
    const services = { worker: { kind: "worker" as const, image: "ghcr.io/acme/worker:1.0" } };
    expect(serviceProblems({ environment: "staging", services }, ns, false)).toEqual([]);
    const settings = loadSettings(raw({ ...STAGING, services }, "staging"));
    expect(settings.services.map((s) => [s.name, s.image, s.build])).toEqual([
      ["worker", "ghcr.io/acme/worker:1.0", undefined],
    ]);
  });

  test("a minimum of tasks with no maximum is not compared", () => {
    expect(
      serviceProblems(
        { services: { worker: { kind: "worker", build: { context: API_CONTEXT }, minTasks: 5 } } },
        ns,
        false,
      ),
    ).toEqual([]);
  });

  test("a mount when the environment is unknown (refused for the stack's name) is only checked for its folder", () => {
    const mount = { hostPath: API_CONTEXT, containerPath: "/app" };
    expect(
      serviceProblems({ services: { worker: { kind: "worker", build: { context: API_CONTEXT }, mount } } }, ns, false),
    ).toEqual([]);
    expect(
      serviceProblems(
        {
          services: {
            worker: { kind: "worker", build: { context: API_CONTEXT }, mount: { ...mount, hostPath: "no/such" } },
          },
        },
        ns,
        false,
      ),
    ).toEqual<ConfigProblem[]>([
      {
        key: `${P}:services.worker.mount.hostPath`,
        message: 'must be an existing folder, relative to the project (got "no/such")',
      },
    ]);
    // A dev file in the staging stack: the environment is reported once, not again through the mount.
    const dev = {
      environment: "dev",
      appName: "acme-app",
      domain: "acme-app.localhost",
      api: { build: { context: API_CONTEXT } },
      services: { worker: { kind: "worker", build: { context: API_CONTEXT }, mount } },
    };
    expect(report(dev, "staging")).toBe(
      [
        "Pulumi.staging.yaml has 1 configuration problem:",
        `  Pulumi.staging.yaml: ${P}:environment must be "staging" in the staging stack (got "dev")`,
      ].join("\n"),
    );
  });

  test("a CPU size Fargate does not have (the schema reports it at cpu) adds no memory problem, and does not throw", () => {
    expect(
      resolvedServiceProblems([{ name: "worker", kind: "worker", cpu: 300, memory: 512 }], {}, P, { fargate: true }),
    ).toEqual([]);
  });
});

describe("the config error", () => {
  test("is named ConfigError, so a log line or a catch can tell it from other errors", () => {
    const error = thrown(() => parseConfig(raw({ ...STAGING, appName: "A" }, "staging")));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe("ConfigError");
    expect(String(error)).toBe(
      [
        "ConfigError: Pulumi.staging.yaml has 1 configuration problem:",
        `  Pulumi.staging.yaml: ${P}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "A")`,
      ].join("\n"),
    );
  });
});

describe("the schema's own issues for the rules it borrows from the components", () => {
  test("a public CIDR is a custom issue at network.cidr with the network's message", () => {
    const result = stackConfigSchema.shape.network.safeParse({ cidr: "8.8.0.0/16" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }))).toEqual([
      {
        code: "custom",
        path: ["cidr"],
        message:
          "must be a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): a public range hides those internet addresses from the VPC and collides with real hosts",
      },
    ]);
  });

  test("a container health check not in Docker's form is a custom issue at api.containerHealthCheck", () => {
    const result = stackConfigSchema.shape.api.safeParse({ containerHealthCheck: ["curl", "-f", "/health"] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }))).toEqual([
      {
        code: "custom",
        path: ["containerHealthCheck"],
        message:
          'must be a command in Docker\'s form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"]',
      },
    ]);
  });

  test("through the loader, both keep the rule's message and the value given", () => {
    expect(
      report(
        {
          ...STAGING,
          network: { cidr: "8.8.0.0/16" },
          api: { ...STAGING.api, containerHealthCheck: ["curl", "-f", "/health"] },
        },
        "staging",
      )
        .split("\n")
        .slice(1),
    ).toEqual([
      `  Pulumi.staging.yaml: ${P}:network.cidr must be a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): a public range hides those internet addresses from the VPC and collides with real hosts (got "8.8.0.0/16")`,
      `  Pulumi.staging.yaml: ${P}:api.containerHealthCheck must be a command in Docker's form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"] (got ["curl","-f","/health"])`,
    ]);
  });
});
