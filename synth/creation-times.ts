/**
 * Typical creation times, in minutes, of what `pulumi up` creates, for the deploy plan (`--format plan`). These are
 * typical values, not guarantees: each row cites where it comes from, and the provider's default create timeout
 * (terraform-provider-aws `internal/service/<service>/*.go`, which the Pulumi AWS provider wraps) bounds the worst
 * case. Checked 2026-11-25. Anything not listed takes one API call: {@link API_CALL_MINUTES}.
 */
import type { RecordedResource } from "./recorder";

export interface CreationTime {
  readonly minutes: number;
  /** Where the figure comes from. */
  readonly source: string;
}

/** One API call and its propagation: a few seconds (security groups, roles, log groups, DNS records...). */
export const API_CALL_MINUTES = 0.05;

const RDS_SOURCE =
  "terraform-provider-aws rds/instance.go (create timeout 40 min); hashicorp/terraform#498 (5–10 min single-AZ, 15–20 Multi-AZ); apply logs 5m57s–6m8s single-AZ";

/** Creation time of one recorded resource; components and providers take none. */
export function creationTime(r: RecordedResource): CreationTime {
  if (!r.custom || r.type.startsWith("pulumi:providers:")) return { minutes: 0, source: "no cloud resource" };
  const i = r.inputs;
  switch (r.type) {
    case "aws:rds/instance:Instance":
      if (i["snapshotIdentifier"] !== undefined || i["restoreToPointInTime"] !== undefined) {
        return { minutes: 12, source: `estimate, grows with the data; ${RDS_SOURCE}` };
      }
      return i["multiAz"] === true ? { minutes: 15, source: RDS_SOURCE } : { minutes: 6, source: RDS_SOURCE };
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      return Number(i["numCacheClusters"] ?? 1) > 1
        ? {
            minutes: 9,
            source:
              "terraform-provider-aws elasticache/replication_group.go (create timeout 60 min); apply logs 9m7s, 9m15s (2 nodes, Multi-AZ)",
          }
        : { minutes: 6, source: "apply logs 5m37s–6m59s (1 node)" };
    case "aws:ec2/natGateway:NatGateway":
      return {
        minutes: 1.75,
        source: "terraform-provider-aws ec2/vpc_nat_gateway.go (create timeout 10 min); apply logs 1m25s–2m5s",
      };
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        minutes: 2.5,
        source: "terraform-provider-aws elbv2/load_balancer.go (create timeout 10 min); apply logs 2m19s–2m52s",
      };
    case "aws:acm/certificateValidation:CertificateValidation":
      return {
        minutes: 2,
        source:
          "terraform-provider-aws acm/certificate_validation.go (timeout 75 min); apply logs 1m29s–8m52s once the DNS record exists",
      };
    case "aws:ecs/service:Service":
      return i["waitForSteadyState"] === true
        ? {
            minutes: 4,
            source:
              "terraform-provider-aws ecs/service.go (timeout 20 min); image pull and start, then 2 health checks 10 s apart and the 60 s grace period",
          }
        : { minutes: API_CALL_MINUTES, source: "returns once the service exists" };
    case "docker:index/image:Image":
      return { minutes: 2, source: "estimate for a small Node or Python app, build and push (0.5 cached to 5 cold)" };
    case "docker:index/container:Container":
      return { minutes: 0.2, source: "estimate: image present, container start" };
    case "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration":
      return { minutes: 0.6, source: "terraform-provider-aws chatbot/slack_channel_configuration.go waits 30 s first" };
    case "aws:ec2/instance:Instance":
      return { minutes: 1, source: "estimate: EC2 reports running in under a minute; the provider waits for it" };
    case "aws:kms/key:Key":
      return { minutes: 0.3, source: "estimate: waits for the key policy and tags to propagate (kms/wait.go)" };
    case "aws:ec2/vpc:Vpc":
      return { minutes: 0.3, source: "turbot/steampipe-plugin-aws test logs: 4–39 s" };
    case "pulumi-nodejs:dynamic:Resource":
      return r.inputs["taskDefinition"] !== undefined && r.inputs["service"] === undefined
        ? {
            minutes: 1.5,
            source:
              "estimate: a one-off Fargate task (components/ecs-task-run) starts in 30–60 s with its image pull, runs, stops; polled every 6–15 s",
          }
        : { minutes: API_CALL_MINUTES, source: "one API call" };
    case "aws:ecs/cluster:Cluster":
    case "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":
      return { minutes: 0.2, source: "ecs/cluster.go waits for ACTIVE after a 10 s delay" };
    default:
      return { minutes: API_CALL_MINUTES, source: "one API call" };
  }
}
