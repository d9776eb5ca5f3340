// A pr-<n> stack needs no stack file: it derives its config from staging's, with the preview preset, and joins
// staging's network, cluster and load balancer through a StackReference (mocked with staging's own synth outputs).
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { derivePreviewConfig } from "../../infra/program";
import { readStackFile } from "../../infra/stack-file";
import { synthesizeConfig, type SynthResult } from "../../synth/synth";
import { SHARED_WITH_PREVIEWS } from "../../policy/rules";
import {
  listenerRulePriority,
  serviceRulePriority,
  SHARED_PLATFORM_OUTPUT,
  type SharedPlatform,
} from "../../stacks/shared-platform";
import {
  FIXTURE_STACKS,
  ofType,
  physical,
  previewConfig,
  resource,
  synthFailure,
  synthStack,
  variant,
} from "../helpers/synth";
import { tempDir } from "../helpers/temp";

const T = {
  service: "aws:ecs/service:Service",
  rule: "aws:lb/listenerRule:ListenerRule",
  listenerCertificate: "aws:lb/listenerCertificate:ListenerCertificate",
  tg: "aws:lb/targetGroup:TargetGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  rds: "aws:rds/instance:Instance",
  cache: "aws:elasticache/replicationGroup:ReplicationGroup",
};

let preview: SynthResult;
let staging: SynthResult;
beforeAll(async () => {
  preview = await synthStack("pr-42");
  staging = await synthStack("staging");
});
/** A project folder whose staging file is the test staging file changed by `edit`. */
function projectWithStaging(edit: (staging: string) => string): string {
  const dir = tempDir("preview-staging");
  copyFileSync(join(FIXTURE_STACKS, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const staging = readFileSync(join(FIXTURE_STACKS, "Pulumi.staging.yaml"), "utf8");
  const edited = edit(staging);
  if (edited === staging) throw new Error("the edit changed nothing in Pulumi.staging.yaml");
  writeFileSync(join(dir, "Pulumi.staging.yaml"), edited);
  return dir;
}

const platform = (): SharedPlatform => staging.outputs[SHARED_PLATFORM_OUTPUT] as SharedPlatform;
/** pr-42 against a staging stack with these outputs, under the default reference name. */
const againstStaging = (outputs: Record<string, unknown>) =>
  synthesizeConfig(previewConfig(42), { stackOutputs: { "organization/saas-platform/staging": outputs } });

describe("staging shares its platform", () => {
  test("exports its network, cluster and HTTPS load balancer as the sharedPlatform output, no secrets in it", () => {
    const alb = resource(staging, "aws:lb/loadBalancer:LoadBalancer", "api-alb");
    expect(platform()).toEqual({
      version: 1,
      network: {
        vpcId: staging.outputs["vpcId"],
        cidr: "10.20.0.0/16",
        azCount: 2,
        availabilityZones: ["eu-west-1a", "eu-west-1b"],
        publicSubnetIds: staging.outputs["publicSubnetIds"],
        privateSubnetIds: staging.outputs["privateSubnetIds"],
        privateRouteTableIds: expect.any(Array),
        natGatewayIds: staging.outputs["natGatewayIds"],
        flowLogGroupName: staging.outputs["flowLogGroupName"],
        ipv6: true,
      },
      cluster: {
        arn: resource(staging, "aws:ecs/cluster:Cluster", "api-cluster").state!["arn"],
        name: staging.outputs["apiClusterName"],
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      },
      loadBalancer: {
        arn: alb.state!["arn"],
        arnSuffix: alb.state!["arnSuffix"],
        // IPv6-only behind Cloudflare: its AAAA records are under the `dualstack.` name.
        dnsName: `dualstack.${String(alb.state!["dnsName"])}`,
        zoneId: alb.state!["zoneId"],
        securityGroupId: resource(staging, T.sg, "api-alb").id,
        httpsListenerArn: resource(staging, "aws:lb/listener:Listener", "api-https").state!["arn"],
      },
      // No originAuthentication: the small staging leaves origin pulls off (test/components/origin-authentication).
    });
    expect(staging.secretOutputs.filter((o) => o.startsWith(SHARED_PLATFORM_OUTPUT))).toEqual([]);
  });

  test("production does not offer its platform to anyone", async () => {
    expect((await synthStack("production")).outputs).not.toHaveProperty(SHARED_PLATFORM_OUTPUT);
  });
});

describe("the pr-42 preview", () => {
  test("reads staging through one StackReference, by the self-managed backend's default name", () => {
    expect(preview.stackReferences).toEqual(["organization/saas-platform/staging"]);
    expect(preview.outputs["stagingStack"]).toBe("organization/saas-platform/staging");
  });

  test("adds no VPC, subnet, NAT gateway, elastic IP, load balancer, listener, cluster or access-log bucket", () => {
    const own = new Set(physical(preview).map((r) => r.type));
    for (const type of [
      ...SHARED_WITH_PREVIEWS,
      "aws:ec2/subnet:Subnet",
      "aws:ec2/internetGateway:InternetGateway",
      "aws:ec2/flowLog:FlowLog",
      "aws:lb/listener:Listener",
      "aws:s3/bucket:Bucket",
      "aws:ec2/managedPrefixList:ManagedPrefixList",
    ]) {
      expect([type, own.has(type)]).toEqual([type, false]);
    }
    // Its tiers run in staging's VPC and private subnets.
    const p = platform();
    expect(resource(preview, T.sg, "api-service").inputs["vpcId"]).toBe(p.network.vpcId);
    expect(resource(preview, "aws:rds/subnetGroup:SubnetGroup", "database-subnets").inputs["subnetIds"]).toEqual(
      p.network.privateSubnetIds,
    );
    expect(preview.outputs["privateSubnetIds"]).toEqual(p.network.privateSubnetIds);
  });

  test("routes its API host on staging's HTTPS listener to its own target group, with its certificate added by SNI", () => {
    const p = platform();
    const tg = resource(preview, T.tg, "api-tg");
    const certificate = resource(preview, T.listenerCertificate, "api-certificate");
    const validation = resource(preview, "aws:acm/certificateValidation:CertificateValidation", "dns-api-certificate");
    expect(certificate.inputs).toEqual({
      listenerArn: p.loadBalancer.httpsListenerArn,
      certificateArn: validation.state!["certificateArn"],
    });
    const rule = resource(preview, T.rule, "api-route");
    expect(rule.inputs).toMatchObject({
      listenerArn: p.loadBalancer.httpsListenerArn,
      priority: 42,
      conditions: [{ hostHeader: { values: ["api-pr-42.acme-app.com"] } }],
      actions: [{ type: "forward", targetGroupArn: tg.state!["arn"] }],
    });
    expect(rule.dependencies).toContain(certificate.urn);
    expect(tg.inputs).toMatchObject({ vpcId: p.network.vpcId, targetType: "ip", healthCheck: { path: "/health" } });
    // The service waits for the rule: ECS refuses a target group that no load balancer uses yet.
    expect(resource(preview, T.service, "api").dependencies).toContain(rule.urn);
    // DNS points the API host at staging's load balancer.
    const record = resource(preview, "cloudflare:index/dnsRecord:DnsRecord", "dns-api-api-pr-42.acme-app.com");
    expect(record.inputs).toMatchObject({ name: "api-pr-42.acme-app.com", content: p.loadBalancer.dnsName });
  });

  test("opens exactly one path from staging's load balancer to its tasks, both ends scoped to the container port", () => {
    const p = platform();
    const serviceSg = resource(preview, T.sg, "api-service");
    expect(resource(preview, T.egress, "api-alb-to-service").inputs).toMatchObject({
      securityGroupId: p.loadBalancer.securityGroupId,
      referencedSecurityGroupId: serviceSg.id,
      ipProtocol: "tcp",
      fromPort: 8080,
      toPort: 8080,
      description: "to the tasks of pr-42",
    });
    expect(resource(preview, T.ingress, "api-service-from-alb").inputs).toMatchObject({
      securityGroupId: serviceSg.id,
      referencedSecurityGroupId: p.loadBalancer.securityGroupId,
      fromPort: 8080,
      toPort: 8080,
    });
    // Nothing else of the preview touches staging's load balancer group.
    const onStagingSg = [...ofType(preview, T.ingress), ...ofType(preview, T.egress)].filter(
      (x) => x.inputs["securityGroupId"] === p.loadBalancer.securityGroupId,
    );
    expect(onStagingSg.map((x) => x.name)).toEqual(["api-alb-to-service"]);
  });

  test("runs one Fargate Spot task in staging's cluster, with the same safe rollout and no scaling policy", () => {
    const service = resource(preview, T.service, "api");
    expect(service.inputs).toMatchObject({
      cluster: platform().cluster.arn,
      desiredCount: 1,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      waitForSteadyState: true,
      networkConfiguration: { subnets: platform().network.privateSubnetIds, assignPublicIp: false },
    });
    expect(service.inputs).not.toHaveProperty("launchType");
    // A fixed size that sleeps out of office hours: a scalable target (1 to 1) for the schedules, which then own the
    // task count, and no scaling policy.
    expect(service.options.ignoreChanges).toEqual(["desiredCount"]);
    expect(ofType(preview, "aws:appautoscaling/target:Target").map((t) => t.inputs)).toEqual([
      expect.objectContaining({ minCapacity: 1, maxCapacity: 1, scalableDimension: "ecs:service:DesiredCount" }),
    ]);
    expect(ofType(preview, "aws:appautoscaling/policy:Policy")).toEqual([]);
    expect(resource(preview, "aws:ecs/taskDefinition:TaskDefinition", "api-task").inputs).toMatchObject({
      cpu: "256",
      memory: "512",
    });
  });

  test("is fully disposable: nothing protected, no final snapshot, repositories and data deleted with it", () => {
    expect(physical(preview).filter((r) => r.options.protect || r.options.retainOnDelete)).toEqual([]);
    expect(resource(preview, T.rds, "database").inputs).toMatchObject({
      instanceClass: "db.t4g.micro",
      multiAz: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
      deleteAutomatedBackups: true,
    });
    expect(resource(preview, T.cache, "cache").inputs).toMatchObject({
      nodeType: "cache.t4g.micro",
      numCacheClusters: 1,
      snapshotRetentionLimit: 0,
    });
    expect(resource(preview, "aws:ecr/repository:Repository", "api-repo").inputs["forceDelete"]).toBe(true);
    expect(ofType(preview, "aws:backup/plan:Plan")).toEqual([]);
    expect(ofType(preview, "aws:backup/vault:Vault")).toEqual([]);
  });

  test("pages nobody and stays cheap: alarms notify, a budget, but no dashboard or uptime checks", () => {
    expect(ofType(preview, "aws:cloudwatch/dashboard:Dashboard")).toEqual([]);
    expect(ofType(preview, "aws:route53/healthCheck:HealthCheck")).toEqual([]);
    expect(preview.outputs).not.toHaveProperty("dashboardUrl");
    expect(resource(preview, "aws:budgets/budget:Budget", "monitoring-budget").inputs["limitAmount"]).toBe("30.00");
    // Its 5xx rate is its own target group's: the shared load balancer's totals include staging's traffic.
    const rate = resource(preview, "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-api-5xx-rate");
    const queries = rate.inputs["metricQueries"] as Array<{ id: string; metric?: { dimensions: object } }>;
    expect(queries.map((q) => q.id)).toEqual(["target5xx", "requests", "rate"]);
    for (const q of queries.filter((x) => x.metric)) {
      expect(Object.keys(q.metric!.dimensions).sort()).toEqual(["LoadBalancer", "TargetGroup"]);
    }
  });
});

describe("joining staging", () => {
  test("a preview's API rule takes its PR number, wrapping after 30000 below the services' band", () => {
    expect([1, 42, 30000, 30001, 123456].map(listenerRulePriority)).toEqual([1, 42, 30000, 1, 3456]);
  });

  test("further services' rules take a band of their own: 49991 and up in staging, nine per PR from 30001", () => {
    expect([1, 9].map((i) => serviceRulePriority(undefined, i))).toEqual([49991, 49999]);
    expect([1, 9].map((i) => serviceRulePriority(1, i))).toEqual([30001, 30009]);
    expect([1, 9].map((i) => serviceRulePriority(2000, i))).toEqual([30000 + 1999 * 9 + 1, 48000]);
    expect(serviceRulePriority(2001, 1)).toBe(30001);
  });

  test("stagingStack names another staging stack (Pulumi Cloud organization, say)", async () => {
    const config = previewConfig(42, { stagingStack: "acme/saas-platform/staging" });
    const result = await synthesizeConfig(config, {
      stackOutputs: { "acme/saas-platform/staging": staging.outputs },
    });
    expect(result.stackReferences).toEqual(["acme/saas-platform/staging"]);
  });

  test("a staging stack without the output fails before any resource, saying what to do", async () => {
    const withoutOutput = { ...staging.outputs };
    delete withoutOutput[SHARED_PLATFORM_OUTPUT];
    const error = await againstStaging(withoutOutput).then(
      () => undefined,
      (e: { message: string; declared: Array<{ custom: boolean; type: string }> }) => e,
    );
    expect(error?.message).toBe(
      'pr-42 joins the network and load balancer of organization/saas-platform/staging, which has no "sharedPlatform" ' +
        "output: deploy staging with this version first (pulumi up -s staging), or set stagingStack in " +
        "Pulumi.pr-42.yaml to the stack this preview joins",
    );
    expect(error?.declared.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))).toEqual([]);
  });

  test("an output of another shape names every field that is wrong", async () => {
    const p = platform();
    const error = await againstStaging({
      ...staging.outputs,
      [SHARED_PLATFORM_OUTPUT]: { ...p, loadBalancer: { ...p.loadBalancer, httpsListenerArn: "" }, cluster: {} },
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain('pr-42 cannot join organization/saas-platform/staging: its "sharedPlatform"');
    expect(error?.message).toContain("sharedPlatform.cluster.arn");
    expect(error?.message).toContain("sharedPlatform.loadBalancer.httpsListenerArn");
  });

  test("a staging cluster without Spot capacity runs the preview on on-demand Fargate", async () => {
    const p = platform();
    const result = await againstStaging({
      ...staging.outputs,
      [SHARED_PLATFORM_OUTPUT]: { ...p, cluster: { ...p.cluster, capacityProviders: [] } },
    });
    expect(resource(result, T.service, "api").inputs).toMatchObject({ launchType: "FARGATE" });
  });

  test("stagingStack is refused outside a preview", async () => {
    const error = await synthFailure(variant("staging", { stagingStack: "acme/x/staging" }));
    expect(error.message).toContain(
      "saas-platform:stagingStack is only for a pr-<number> stack: it names the staging stack whose network and load balancer it joins",
    );
  });
});

test("the preview's own keys win over staging's, and staging's encrypted values are not inherited", () => {
  const dir = projectWithStaging((staging) =>
    staging
      .replace(
        '  saas-platform:awsAccountId: "123456789012"\n',
        "  saas-platform:awsAccountId:\n    secure: v1:AAAABBBB\n",
      )
      .replace("config:\n", "config:\n  saas-platform:logs:\n    retentionDays: 14\n"),
  );
  const raw = derivePreviewConfig(
    {
      project: "saas-platform",
      stack: "pr-7",
      values: { web: '{"projectId":"prj_1","gitBranch":"feature/x"}', logs: '{"retentionDays":1}' },
      secretKeys: new Set(),
    },
    dir,
  );
  expect(raw.values["environment"]).toBe("preview");
  // Staging's plain keys are the base...
  expect(raw.values["domain"]).toBe("staging.acme-app.com");
  expect(raw.values["awsRegion"]).toBe("eu-west-1");
  // ...the preview's own replace them whole...
  expect(raw.values["web"]).toBe('{"projectId":"prj_1","gitBranch":"feature/x"}');
  expect(raw.values["logs"]).toBe('{"retentionDays":1}');
  // ...and staging's encrypted value, which only staging's secrets provider can decrypt, is left out.
  expect(readStackFile(dir, "staging").secretKeys).toEqual(["saas-platform:awsAccountId"]);
  expect(raw.values).not.toHaveProperty("awsAccountId");
  expect([...raw.secretKeys]).toEqual([]);
});

test("a preview's own web settings keep the API variable name staging's Vercel project uses", () => {
  const dir = projectWithStaging((staging) =>
    staging.replace("  saas-platform:web:\n", "  saas-platform:web:\n    apiUrlVariable: VITE_API_URL\n"),
  );
  const raw = (web: object) =>
    derivePreviewConfig(
      { project: "saas-platform", stack: "pr-7", values: { web: JSON.stringify(web) }, secretKeys: new Set() },
      dir,
    );
  expect(JSON.parse(raw({ projectId: "prj_1", gitBranch: "feature/x" }).values["web"]!)).toEqual({
    projectId: "prj_1",
    gitBranch: "feature/x",
    apiUrlVariable: "VITE_API_URL",
  });
  // The preview's own choice wins.
  expect(
    JSON.parse(raw({ projectId: "prj_1", gitBranch: "feature/x", apiUrlVariable: "API_URL" }).values["web"]!),
  ).toMatchObject({ apiUrlVariable: "API_URL" });
});
