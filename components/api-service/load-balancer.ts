import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { transform } from "../transform";
import { accessLogBucket } from "./access-logs";
import type { ServiceContext, SharedLoadBalancer } from "./aws-args";

/** The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Target group timing: a draining task gets 15 s, a new one is healthy after 2 checks 10 s apart, a failing one is
 * out after 3. With minimum healthy 100 % / maximum 200 %, one rolling step takes at most
 * start + 2 × 10 s (healthy) + 15 s (drain), so the worst case per release is about 35 s plus the app's start.
 */
export const TARGET_TIMING = {
  deregistrationDelaySeconds: 15,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
} as const;

/** What the service needs from the load balancer in front of it, owned or shared. */
export interface FrontDoor {
  readonly loadBalancerArn: pulumi.Output<string>;
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly loadBalancerZoneId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  /** The resource that attaches the target group to the load balancer (ECS refuses a service before that). */
  readonly routed: pulumi.Resource;
  /** What makes the listener present the certificate: the own HTTPS listener, or the certificate added to another. */
  readonly certificateReady: pulumi.Resource;
}

/** The service's target group: its tasks by IP, checked on the health path with {@link TARGET_TIMING}. */
export function serviceTargetGroup({ name, args, parent, tags }: ServiceContext): aws.lb.TargetGroup {
  return new aws.lb.TargetGroup(
    ...transform(
      args.transform?.targetGroup,
      `${name}-tg`,
      {
        port: args.containerPort,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: args.network.vpcId,
        deregistrationDelay: TARGET_TIMING.deregistrationDelaySeconds,
        healthCheck: {
          path: args.healthCheckPath,
          matcher: "200-399",
          interval: TARGET_TIMING.intervalSeconds,
          timeout: TARGET_TIMING.timeoutSeconds,
          healthyThreshold: TARGET_TIMING.healthyThreshold,
          unhealthyThreshold: TARGET_TIMING.unhealthyThreshold,
        },
        tags,
      },
      { parent },
    ),
  );
}

/** Routes HTTPS to the target group: through a load balancer of the service's own, or another stack's it joins. */
export function frontDoor(
  ctx: ServiceContext & {
    readonly targetGroup: aws.lb.TargetGroup;
    /** The load balancer's security group (used only for an own load balancer). */
    readonly securityGroupId: pulumi.Output<string>;
  },
): FrontDoor {
  const shared = ctx.args.sharedLoadBalancer;
  return shared === undefined ? ownLoadBalancer(ctx) : joinLoadBalancer({ ...ctx, shared });
}

/** An internet-facing load balancer of the service's own: HTTPS to the target group, HTTP redirected, access logs. */
function ownLoadBalancer(
  ctx: ServiceContext & { readonly securityGroupId: pulumi.Output<string>; readonly targetGroup: aws.lb.TargetGroup },
): FrontDoor {
  const { name, args, parent, tags, securityGroupId, targetGroup } = ctx;
  const logs = accessLogBucket(ctx);
  const alb = new aws.lb.LoadBalancer(
    ...transform(
      args.transform?.loadBalancer,
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        ipAddressType: args.publicIpv4 ? "ipv4" : "dualstack-without-public-ipv4",
        subnets: args.network.publicSubnetIds,
        securityGroups: [securityGroupId],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.protect,
        idleTimeout: 60,
        accessLogs: { bucket: logs.bucket, prefix: name, enabled: true },
        tags,
      },
      // IPv6-only on the internet side: not before the public subnets can route IPv6.
      { parent, dependsOn: [logs.policy, ...(args.publicIpv4 ? [] : args.network.publicIpv6Ready)] },
    ),
  );
  new aws.lb.Listener(
    `${name}-http`,
    {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      tags,
    },
    { parent },
  );
  const https = new aws.lb.Listener(
    ...transform(
      args.transform?.httpsListener,
      `${name}-https`,
      {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: args.certificateArn,
        ...(args.clientCertificateTrustStoreArn === undefined
          ? {}
          : {
              mutualAuthentication: {
                mode: "verify",
                trustStoreArn: args.clientCertificateTrustStoreArn,
                ignoreClientCertificateExpiry: false,
              },
            }),
        defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags,
      },
      { parent },
    ),
  );
  return {
    loadBalancerArn: alb.arn,
    loadBalancerArnSuffix: alb.arnSuffix,
    // An IPv6-only load balancer answers AAAA queries under its `dualstack.` name (what a CNAME must point at).
    loadBalancerDnsName: args.publicIpv4 ? alb.dnsName : pulumi.interpolate`dualstack.${alb.dnsName}`,
    loadBalancerZoneId: alb.zoneId,
    httpsListenerArn: https.arn,
    routed: https,
    certificateReady: https,
  };
}

/**
 * Joins another stack's HTTPS listener: a rule forwards this service's hostnames to its target group, and its
 * certificate is added to the listener, which picks it by SNI. Both go away with this stack; the listener stays.
 */
function joinLoadBalancer(
  ctx: ServiceContext & { readonly shared: SharedLoadBalancer; readonly targetGroup: aws.lb.TargetGroup },
): FrontDoor {
  const { name, args, parent, shared, targetGroup } = ctx;
  const certificate = shared.certificateOnListener
    ? undefined
    : new aws.lb.ListenerCertificate(
        `${name}-certificate`,
        { listenerArn: shared.httpsListenerArn, certificateArn: args.certificateArn },
        { parent },
      );
  const rule = new aws.lb.ListenerRule(
    ...transform(
      args.transform?.listenerRule,
      `${name}-route`,
      {
        listenerArn: shared.httpsListenerArn,
        priority: shared.priority,
        conditions: [{ hostHeader: { values: [...shared.hostnames] } }],
        actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags: { ...args.tags },
      },
      // The hostname must not reach the rule before the listener can present its certificate.
      { parent, dependsOn: [...(certificate === undefined ? [] : [certificate]), ...(shared.readyFirst ?? [])] },
    ),
  );
  return {
    loadBalancerArn: pulumi.output(shared.loadBalancerArn),
    loadBalancerArnSuffix: pulumi.output(shared.loadBalancerArnSuffix),
    loadBalancerDnsName: pulumi.output(shared.loadBalancerDnsName),
    loadBalancerZoneId: pulumi.output(shared.loadBalancerZoneId),
    httpsListenerArn: pulumi.output(shared.httpsListenerArn),
    routed: rule,
    certificateReady: certificate ?? rule,
  };
}
