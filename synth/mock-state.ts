/**
 * Realistic state for the offline synth and the tests: ids, ARNs, endpoints and DNS names shaped like the real ones,
 * so that wiring (an ARN in a policy, a DNS name in a record) is exercised. Everything is derived from the resource's
 * type and name, never random, so two runs give the same output.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT_ID = "123456789012";

export interface MockStateOptions {
  /** The AWS region the mocked account runs in. */
  readonly region: string;
  /** Outputs of other stacks by fully qualified name, for the program's StackReferences. */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

/** The organization of a self-managed (S3 or local) backend, which is what the synth stands in for. */
export const MOCK_ORGANIZATION = "organization";

const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);

/** Pulumi's auto-name: the logical name plus 7 characters (random for real, derived from the name here). */
const autoName = (name: string) => `${name}-${hex(`autoname:${name}`, 7)}`;

type State = Record<string, unknown>;
type Builder = (a: { name: string; inputs: State; region: string; seed: string }) => { id: string; state: State };

const ec2 =
  (prefix: string, kind: string, extra: (id: string) => State = () => ({})): Builder =>
  ({ seed, region }) => {
    const id = `${prefix}-${hex(seed, 17)}`;
    return {
      id,
      state: { arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:${kind}/${id}`, ownerId: MOCK_ACCOUNT_ID, ...extra(id) },
    };
  };

/** State by type token. Types not listed get an id and, for AWS, an ARN (see {@link mockResource}). */
const BUILDERS: Record<string, Builder> = {
  "aws:ec2/vpc:Vpc": (a) => {
    const built = ec2("vpc", "vpc", (id) => ({
      defaultSecurityGroupId: `sg-${hex(`${id}:sg`, 17)}`,
      defaultNetworkAclId: `acl-${hex(`${id}:acl`, 17)}`,
      mainRouteTableId: `rtb-${hex(`${id}:rtb`, 17)}`,
    }))(a);
    // An Amazon-provided /56, as AWS assigns one on request.
    const ipv6 =
      a.inputs["assignGeneratedIpv6CidrBlock"] === true
        ? { ipv6CidrBlock: `2a05:d018:${hex(`${built.id}:v6`, 3)}:${hex(`${built.id}:v6b`, 2)}00::/56` }
        : {};
    return { id: built.id, state: { ...built.state, ...ipv6 } };
  },
  "aws:ec2/subnet:Subnet": ec2("subnet", "subnet"),
  "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
  "aws:ec2/natGateway:NatGateway": ec2("nat", "natgateway", (id) => ({ publicIp: ip(id), privateIp: "10.0.192.10" })),
  "aws:ec2/instance:Instance": ec2("i", "instance", (id) => ({
    primaryNetworkInterfaceId: `eni-${hex(`${id}:eni`, 17)}`,
    publicIp: ip(id),
    privateIp: "10.0.192.20",
  })),
  "aws:ec2/eip:Eip": ({ seed, region }) => {
    const id = `eipalloc-${hex(seed, 17)}`;
    return {
      id,
      state: { allocationId: id, publicIp: ip(id), arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:elastic-ip/${id}` },
    };
  },
  "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
  "aws:ec2/route:Route": ({ seed }) => ({ id: `r-rtb-${hex(seed, 17)}1080289494`, state: {} }),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ({ seed }) => ({ id: `rtbassoc-${hex(seed, 17)}`, state: {} }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint", (id) => ({ prefixListId: `pl-${hex(id, 8)}` })),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group"),
  "aws:ec2/securityGroup:SecurityGroup": ec2("sg", "security-group"),
  "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
  "aws:cloudwatch/logGroup:LogGroup": ({ name, inputs, region }) => {
    const logName = (inputs["name"] as string | undefined) ?? autoName(name);
    return {
      id: logName,
      state: { name: logName, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${logName}` },
    };
  },
  "aws:iam/role:Role": ({ name, inputs }) => {
    const roleName = (inputs["name"] as string | undefined) ?? autoName(name);
    return {
      id: roleName,
      state: {
        name: roleName,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${roleName}`,
        uniqueId: `AROA${hex(roleName, 17).toUpperCase()}`,
      },
    };
  },
  // An instance profile's name is its id, and an EC2 instance names it in `iamInstanceProfile`.
  "aws:iam/instanceProfile:InstanceProfile": ({ name, inputs }) => {
    const profileName = (inputs["name"] as string | undefined) ?? autoName(name);
    return {
      id: profileName,
      state: {
        name: profileName,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${profileName}`,
        uniqueId: `AIPA${hex(profileName, 17).toUpperCase()}`,
      },
    };
  },
  "aws:iam/rolePolicy:RolePolicy": ({ name, inputs }) => {
    const policyName = (inputs["name"] as string | undefined) ?? autoName(name);
    return { id: `${String(inputs["role"])}:${policyName}`, state: { name: policyName } };
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ({ seed, region }) => {
    const id = `sgr-${hex(seed, 17)}`;
    return { id, state: { arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group-rule/${id}` } };
  },
  "aws:elasticache/subnetGroup:SubnetGroup": named("elasticache", "subnetgroup"),
  "aws:elasticache/parameterGroup:ParameterGroup": named("elasticache", "parametergroup"),
  "aws:elasticache/replicationGroup:ReplicationGroup": ({ name, inputs, region }) => {
    const id = (inputs["replicationGroupId"] as string | undefined) ?? autoName(name);
    const cluster = `${id}.${hex(id, 6)}.${regionCode(region)}.cache.amazonaws.com`;
    return {
      id,
      state: {
        arn: `arn:aws:elasticache:${region}:${MOCK_ACCOUNT_ID}:replicationgroup:${id}`,
        primaryEndpointAddress: `master.${cluster}`,
        readerEndpointAddress: `replica.${cluster}`,
        memberClusters: Array.from({ length: Number(inputs["numCacheClusters"] ?? 1) }, (_, i) => `${id}-00${i + 1}`),
      },
    };
  },
  "aws:secretsmanager/secret:Secret": ({ name, inputs, region }) => {
    const secretName = (inputs["name"] as string | undefined) ?? autoName(name);
    const arn = `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${secretName}-${hex(secretName, 6)}`;
    return { id: arn, state: { arn, name: secretName } };
  },
  "aws:secretsmanager/secretVersion:SecretVersion": ({ inputs, seed }) => ({
    id: `${String(inputs["secretId"])}|${hex(seed, 32)}`,
    state: { versionId: hex(seed, 32), arn: inputs["secretId"] },
  }),
  "random:index/randomPassword:RandomPassword": ({ inputs, seed }) => {
    const length = Number(inputs["length"] ?? 32);
    const result = createHash("sha512")
      .update(seed)
      .digest("base64")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, length);
    return { id: "none", state: { result: result.padEnd(length, "x"), bcryptHash: `$2a$10$${hex(seed, 53)}` } };
  },
  "aws:rds/subnetGroup:SubnetGroup": named("rds", "subgrp"),
  "aws:rds/parameterGroup:ParameterGroup": named("rds", "pg"),
  "aws:rds/instance:Instance": ({ name, inputs, region, seed }) => {
    const id = (inputs["identifier"] as string | undefined) ?? autoName(name);
    const address = `${id}.${hex(seed, 12)}.${region}.rds.amazonaws.com`;
    const restored = inputs["snapshotIdentifier"] !== undefined || inputs["restoreToPointInTime"] !== undefined;
    return {
      id: `db-${hex(seed, 26).toUpperCase()}`,
      state: {
        identifier: id,
        arn: `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:db:${id}`,
        address,
        endpoint: `${address}:${Number(inputs["port"] ?? 5432)}`,
        resourceId: `db-${hex(seed, 26).toUpperCase()}`,
        // A restored instance takes its database and user from the backup.
        ...(restored ? { dbName: "app", username: "app_admin" } : {}),
      },
    };
  },
  "aws:kms/key:Key": ({ seed, region }) => {
    const id = [8, 4, 4, 4, 12].map((n, i) => hex(`${seed}:${i}`, n)).join("-");
    return { id, state: { keyId: id, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${id}` } };
  },
  "aws:kms/alias:Alias": ({ inputs, region }) => ({
    id: String(inputs["name"]),
    state: { arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:${String(inputs["name"])}` },
  }),
  "aws:backup/vault:Vault": ({ name, inputs, region }) => {
    const vaultName = (inputs["name"] as string | undefined) ?? autoName(name);
    const vaultRegion = (inputs["region"] as string | undefined) ?? region;
    return {
      id: vaultName,
      state: { name: vaultName, arn: `arn:aws:backup:${vaultRegion}:${MOCK_ACCOUNT_ID}:backup-vault:${vaultName}` },
    };
  },
  "aws:backup/plan:Plan": ({ name, inputs, region, seed }) => {
    const id = [8, 4, 4, 4, 12].map((n, i) => hex(`${seed}:${i}`, n)).join("-");
    return {
      id,
      state: {
        name: inputs["name"] ?? autoName(name),
        arn: `arn:aws:backup:${region}:${MOCK_ACCOUNT_ID}:backup-plan:${id}`,
        version: hex(seed, 32),
      },
    };
  },
  "aws:backup/selection:Selection": ({ seed }) => ({ id: hex(seed, 36), state: {} }),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ({ inputs, seed }) => ({
    id: `${String(inputs["role"])}-${hex(seed, 20)}`,
    state: {},
  }),
  "random:index/randomId:RandomId": ({ inputs, seed }) => {
    const bytes = createHash("sha256")
      .update(seed)
      .digest()
      .subarray(0, Number(inputs["byteLength"] ?? 8));
    return {
      id: bytes.toString("base64url"),
      state: {
        hex: bytes.toString("hex"),
        b64Url: bytes.toString("base64url"),
        dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
      },
    };
  },
  "aws:ecr/repository:Repository": ({ name, inputs, region }) => {
    const repoName = (inputs["name"] as string | undefined) ?? autoName(name);
    return {
      id: repoName,
      state: {
        name: repoName,
        arn: `arn:aws:ecr:${region}:${MOCK_ACCOUNT_ID}:repository/${repoName}`,
        registryId: MOCK_ACCOUNT_ID,
        repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${repoName}`,
      },
    };
  },
  "aws:ecs/cluster:Cluster": ({ name, inputs, region }) => {
    const clusterName = (inputs["name"] as string | undefined) ?? autoName(name);
    const arn = `arn:aws:ecs:${region}:${MOCK_ACCOUNT_ID}:cluster/${clusterName}`;
    return { id: arn, state: { name: clusterName, arn } };
  },
  "aws:ecs/taskDefinition:TaskDefinition": ({ inputs, region }) => {
    // A new revision whenever the definition changes, as ECS does.
    const revision = (parseInt(hex(JSON.stringify(inputs), 6), 16) % 997) + 1;
    const family = String(inputs["family"]);
    return {
      id: family,
      state: { arn: `arn:aws:ecs:${region}:${MOCK_ACCOUNT_ID}:task-definition/${family}:${revision}`, revision },
    };
  },
  "aws:ecs/service:Service": ({ name, inputs, region }) => {
    const serviceName = (inputs["name"] as string | undefined) ?? autoName(name);
    const arn = `arn:aws:ecs:${region}:${MOCK_ACCOUNT_ID}:service/${serviceName}`;
    return { id: arn, state: { name: serviceName, arn } };
  },
  "aws:lb/loadBalancer:LoadBalancer": ({ name, region, seed }) => {
    const lbName = autoName(name).slice(0, 32);
    const suffix = `app/${lbName}/${hex(seed, 16)}`;
    return {
      id: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:loadbalancer/${suffix}`,
      state: {
        name: lbName,
        arn: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:loadbalancer/${suffix}`,
        arnSuffix: suffix,
        dnsName: `${lbName}-${parseInt(hex(seed, 8), 16)}.${region}.elb.amazonaws.com`,
        zoneId: "Z32O12XQLNTSW2",
      },
    };
  },
  "aws:lb/targetGroup:TargetGroup": ({ name, region, seed }) => {
    const tgName = autoName(name).slice(0, 32);
    const suffix = `targetgroup/${tgName}/${hex(seed, 16)}`;
    const arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:${suffix}`;
    return { id: arn, state: { name: tgName, arn, arnSuffix: suffix } };
  },
  "aws:lb/listener:Listener": ({ region, seed }) => {
    const arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:listener/app/${hex(seed, 8)}/${hex(seed, 16)}`;
    return { id: arn, state: { arn } };
  },
  "aws:s3/bucket:Bucket": ({ name, inputs }) => {
    const bucket = (inputs["bucket"] as string | undefined) ?? autoName(name).toLowerCase();
    return {
      id: bucket,
      state: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` },
    };
  },
  "aws:s3/bucketObjectv2:BucketObjectv2": ({ inputs, seed }) => ({
    id: String(inputs["key"]),
    state: { versionId: hex(`${seed}:version`, 32), etag: hex(`${seed}:etag`, 32) },
  }),
  "aws:lb/trustStore:TrustStore": ({ name, inputs, region, seed }) => {
    const storeName = (inputs["name"] as string | undefined) ?? autoName(name).slice(0, 32);
    const suffix = `truststore/${storeName}/${hex(seed, 16)}`;
    const arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:${suffix}`;
    return { id: arn, state: { name: storeName, arn, arnSuffix: suffix } };
  },
  "aws:appautoscaling/target:Target": ({ inputs }) => ({ id: String(inputs["resourceId"]), state: {} }),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ({ seed, region }) => {
    const id = `sgr-${hex(seed, 17)}`;
    return { id, state: { arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group-rule/${id}` } };
  },
  "docker:index/image:Image": ({ inputs }) => {
    const imageName = String(inputs["imageName"]);
    const digest = `sha256:${hex(`${imageName}:${JSON.stringify(inputs["build"] ?? {})}`, 64)}`;
    return {
      id: `${imageName}-${digest}`,
      state: { imageName, repoDigest: `${imageName.replace(/:[^:/]+$/, "")}@${digest}` },
    };
  },
  "vercel:index/project:Project": ({ name, inputs, seed }) => ({
    id: `prj_${createHash("sha256")
      .update(seed)
      .digest("base64")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, 28)}`,
    state: { name: inputs["name"] ?? autoName(name) },
  }),
  "aws:acm/certificate:Certificate": ({ inputs, region, seed }) => {
    const arn = `arn:aws:acm:${region}:${MOCK_ACCOUNT_ID}:certificate/${[8, 4, 4, 4, 12].map((n, i) => hex(`${seed}:${i}`, n)).join("-")}`;
    const domains = [
      String(inputs["domainName"]),
      ...((inputs["subjectAlternativeNames"] as string[] | undefined) ?? []),
    ];
    return {
      id: arn,
      state: {
        arn,
        status: "PENDING_VALIDATION",
        domainValidationOptions: domains.map((domainName) => ({
          domainName,
          resourceRecordName: `_${hex(`${domainName}:name`, 32)}.${domainName}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${hex(`${domainName}:value`, 32)}.xlfgrmvvlj.acm-validations.aws.`,
        })),
      },
    };
  },
  "aws:acm/certificateValidation:CertificateValidation": ({ inputs }) => ({
    id: String(inputs["certificateArn"]),
    state: { certificateArn: inputs["certificateArn"] },
  }),
  "aws:ec2/managedPrefixList:ManagedPrefixList": ({ seed, region }) => {
    const id = `pl-${hex(seed, 17)}`;
    return { id, state: { arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:prefix-list/${id}`, version: 1 } };
  },
  "cloudflare:index/zone:Zone": ({ seed }) => ({
    id: hex(seed, 32),
    state: { nameServers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"], status: "pending" },
  }),
  "cloudflare:index/zoneDnssec:ZoneDnssec": ({ inputs, seed }) => {
    const keyTag = parseInt(hex(seed, 4), 16);
    const digest = hex(`${seed}:digest`, 64).toUpperCase();
    return {
      id: String(inputs["zoneId"]),
      state: {
        algorithm: "13",
        digestType: "2",
        digestAlgorithm: "SHA256",
        keyTag,
        digest,
        ds: `acme. 3600 IN DS ${keyTag} 13 2 ${digest}`,
      },
    };
  },
  "cloudflare:index/dnsRecord:DnsRecord": ({ seed }) => ({ id: hex(seed, 32), state: {} }),
  // Key material is shaped like PEM but is not a real key: nothing under mocks parses it.
  "tls:index/privateKey:PrivateKey": ({ seed }) => ({
    id: hex(seed, 40),
    state: {
      privateKeyPem: pem("RSA PRIVATE KEY", seed),
      privateKeyPemPkcs8: pem("PRIVATE KEY", seed),
      publicKeyPem: pem("PUBLIC KEY", `${seed}:public`),
    },
  }),
  "tls:index/selfSignedCert:SelfSignedCert": ({ seed }) => ({
    id: String(parseInt(hex(seed, 12), 16)),
    state: { certPem: pem("CERTIFICATE", seed), readyForRenewal: false },
  }),
  "tls:index/certRequest:CertRequest": ({ seed }) => ({
    id: hex(seed, 40),
    state: { certRequestPem: pem("CERTIFICATE REQUEST", seed) },
  }),
  "tls:index/locallySignedCert:LocallySignedCert": ({ seed }) => ({
    id: String(parseInt(hex(seed, 12), 16)),
    state: { certPem: pem("CERTIFICATE", seed), readyForRenewal: false },
  }),
  "cloudflare:index/authenticatedOriginPullsHostnameCertificate:AuthenticatedOriginPullsHostnameCertificate": ({
    seed,
  }) => ({
    id: [8, 4, 4, 4, 12].map((n, i) => hex(`${seed}:${i}`, n)).join("-"),
    // Cloudflare deploys an upload to its edge after accepting it.
    state: { status: "pending_deployment" },
  }),
  "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls": ({ inputs }) => {
    const config = ((inputs["configs"] as State[] | undefined) ?? [])[0] ?? {};
    return {
      id: String(config["hostname"]),
      state: {
        hostname: config["hostname"],
        certId: config["certId"],
        enabled: config["enabled"],
        status: "pending_deployment",
        certStatus: "pending_deployment",
      },
    };
  },
  "aws:sns/topic:Topic": ({ name, inputs, region }) => {
    const topicName = (inputs["name"] as string | undefined) ?? autoName(name);
    const arn = `arn:aws:sns:${region}:${MOCK_ACCOUNT_ID}:${topicName}`;
    return { id: arn, state: { arn, name: topicName } };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": ({ name, inputs, region }) => {
    const alarmName = (inputs["name"] as string | undefined) ?? autoName(name);
    return {
      id: alarmName,
      state: { name: alarmName, arn: `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT_ID}:alarm:${alarmName}` },
    };
  },
  "aws:route53/healthCheck:HealthCheck": ({ seed }) => {
    const id = [8, 4, 4, 4, 12].map((n, i) => hex(`${seed}:${i}`, n)).join("-");
    return { id, state: { arn: `arn:aws:route53:::healthcheck/${id}` } };
  },
  "aws:cloudwatch/dashboard:Dashboard": ({ name, inputs, region }) => {
    const dashboardName = (inputs["dashboardName"] as string | undefined) ?? autoName(name);
    return {
      id: dashboardName,
      state: {
        dashboardName,
        dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${dashboardName}`,
        region,
      },
    };
  },
  "sentry:index/sentryProject:SentryProject": ({ inputs, seed }) => ({
    id: `${String(inputs["organization"])}/${String(inputs["slug"])}`,
    state: {
      slug: inputs["slug"],
      internalId: String(parseInt(hex(seed, 6), 16)),
      projectId: String(parseInt(hex(seed, 6), 16)),
    },
  }),
  "sentry:index/sentryKey:SentryKey": ({ seed }) => {
    const key = hex(seed, 32);
    const project = parseInt(hex(`${seed}:project`, 6), 16);
    return {
      id: key,
      state: {
        public: key,
        secret: hex(`${seed}:secret`, 32),
        dsnPublic: `https://${key}@o4500000000000000.ingest.sentry.io/${project}`,
        dsnSecret: "[unused]",
        dsnCsp: `https://o4500000000000000.ingest.sentry.io/api/${project}/security/?sentry_key=${key}`,
      },
    };
  },
  "aws:sfn/stateMachine:StateMachine": ({ name, inputs, region }) => {
    const machineName = (inputs["name"] as string | undefined) ?? autoName(name);
    const arn = `arn:aws:states:${region}:${MOCK_ACCOUNT_ID}:stateMachine:${machineName}`;
    return { id: arn, state: { name: machineName, arn } };
  },
  "docker:index/remoteImage:RemoteImage": ({ inputs, seed }) => ({
    id: `sha256:${hex(seed, 64)}${String(inputs["name"])}`,
    state: {
      imageId: `sha256:${hex(seed, 64)}`,
      repoDigest: `${String(inputs["name"]).split(":")[0]}@sha256:${hex(`${seed}:digest`, 64)}`,
    },
  }),
  "docker:index/volume:Volume": ({ name, inputs, seed }) => ({
    id: (inputs["name"] as string | undefined) ?? autoName(name),
    state: {
      name: inputs["name"] ?? autoName(name),
      driver: "local",
      mountpoint: `/var/lib/docker/volumes/${hex(seed, 12)}/_data`,
    },
  }),
  "docker:index/container:Container": ({ name, inputs, seed }) => ({
    id: hex(seed, 64),
    state: { name: inputs["name"] ?? autoName(name), exitCode: null, hostname: hex(seed, 12) },
  }),
  "docker:index/network:Network": ({ name, inputs, seed }) => ({
    id: hex(seed, 64),
    state: {
      name: inputs["name"] ?? autoName(name),
      driver: inputs["driver"] ?? "bridge",
      scope: "local",
    },
  }),
};

/** Resources whose id is their (auto-)name and whose ARN names a kind, e.g. ElastiCache subnet groups. */
function named(service: string, kind: string): Builder {
  return ({ name, inputs, region }) => {
    const resourceName = (inputs["name"] as string | undefined) ?? autoName(name);
    return {
      id: resourceName,
      state: { name: resourceName, arn: `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${kind}:${resourceName}` },
    };
  };
}

/** Text in PEM armour, derived from the seed. */
const pem = (label: string, seed: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(hex(seed, 48)).toString("base64")}\n-----END ${label}-----\n`;

/** `eu-west-1` → `euw1`, as in ElastiCache and RDS endpoints. */
const regionCode = (region: string) => region.replace(/^(\w\w)-(\w)\w*-(\d)$/, "$1$2$3");

function ip(seed: string): string {
  const h = createHash("sha256").update(seed).digest();
  return `203.0.113.${((h[0] ?? 0) % 254) + 1}`;
}

/** The mocks for `pulumi.runtime.setMocks` / the recording monitor. */
export function createMocks(options: MockStateOptions): pulumi.runtime.Mocks {
  const { region } = options;
  return {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      if (args.type === "pulumi:pulumi:StackReference") return mockStackReference(args, options.stackOutputs ?? {});
      return mockResource(args, region);
    },
    call(args: pulumi.runtime.MockCallArgs) {
      return mockCall(args, region);
    },
  };
}

/** A StackReference reads the outputs the synth was given for that stack; an unknown stack fails as it would for real. */
function mockStackReference(
  args: pulumi.runtime.MockResourceArgs,
  stackOutputs: Readonly<Record<string, Record<string, unknown>>>,
): { id: string; state: State } {
  const input = (args.inputs as State)["name"];
  const name = typeof input === "string" ? input : (args.id ?? args.name);
  const outputs = stackOutputs[name];
  if (outputs === undefined) {
    const known = Object.keys(stackOutputs);
    throw new Error(`unknown stack "${name}" (the synth knows: ${known.length > 0 ? known.join(", ") : "none"})`);
  }
  return { id: name, state: { name, outputs, secretOutputNames: [] } };
}

export function mockResource(args: pulumi.runtime.MockResourceArgs, region: string): { id: string; state: State } {
  const inputs = args.inputs as State;
  const seed = `${args.type}::${args.name}`;
  if (args.type.startsWith("pulumi:providers:")) return { id: hex(seed, 36), state: inputs };
  const builder = BUILDERS[args.type];
  if (builder) {
    const { id, state } = builder({ name: args.name, inputs, region, seed });
    return { id, state: { ...inputs, ...state } };
  }
  const id = `${args.name}-${hex(seed, 8)}`;
  const [pkg, module] = args.type.split(":");
  const arn =
    pkg === "aws" ? { arn: `arn:aws:${(module ?? "").split("/")[0]}:${region}:${MOCK_ACCOUNT_ID}:${id}` } : {};
  return { id, state: { ...arn, ...inputs } };
}

export function mockCall(args: pulumi.runtime.MockCallArgs, region: string): Record<string, unknown> {
  const zones = ["a", "b", "c"].map((s) => `${region}${s}`);
  switch (args.token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        id: region,
        names: zones,
        zoneIds: zones.map(
          (_, i) =>
            `${region
              .split("-")
              .map((p) => p[0])
              .join("")}-az${i + 1}`,
        ),
        groupNames: [region],
        region,
      };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: MOCK_ACCOUNT_ID,
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/deployer/synth`,
        userId: "AROASYNTH:synth",
      };
    case "aws:index/getRegion:getRegion":
      return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
      return {
        id: region,
        userName: "AWS",
        password: "synth-ecr-password",
        authorizationToken: "QVdTOnN5bnRoLWVjci1wYXNzd29yZA==",
        proxyEndpoint: `https://${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`,
        expiresAt: "2026-01-01T12:00:00Z",
        region,
      };
    case "aws:elb/getServiceAccount:getServiceAccount":
      // The ELB log-delivery account of eu-west-1, as AWS documents it.
      return { id: "156460612806", arn: "arn:aws:iam::156460612806:root", region };
    case "cloudflare:index/getIpRanges:getIpRanges":
      // A sample of Cloudflare's published ranges (the real provider reads the current list).
      return {
        etag: "synth",
        ipv4Cidrs: ["173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "104.16.0.0/13", "172.64.0.0/13"],
        ipv6Cidrs: ["2400:cb00::/32", "2606:4700::/32", "2803:f800::/32"],
        jdcloudCidrs: [],
      };
    case "aws:ssm/getParameter:getParameter": {
      // The latest Amazon Linux 2023 AMI, as SSM would publish it.
      const name = String((args.inputs as Record<string, unknown>)["name"]);
      return {
        id: name,
        name,
        type: "String",
        value: "ami-0123456789abcdef0",
        version: 1,
        arn: `arn:aws:ssm:${region}::parameter${name}`,
        insecureValue: "ami-0123456789abcdef0",
        withDecryption: true,
      };
    }
    case "cloudflare:index/getAuthenticatedOriginPulls:getAuthenticatedOriginPulls": {
      // Deployed: the synth does not wait, as `pulumi up` would for minutes.
      const { zoneId, hostname } = args.inputs as Record<string, unknown>;
      return { zoneId, hostname, id: hostname, enabled: true, status: "active", certStatus: "active" };
    }
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    default:
      // An unmocked data source would silently return nothing and hide wiring bugs: name it instead.
      throw new Error(`the synth has no mock for the data source ${args.token}; add one to synth/mock-state.ts`);
  }
}
