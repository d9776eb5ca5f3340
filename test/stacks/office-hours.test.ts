import { ipv6SubnetCidr } from "../../components/network/subnets";
import { ofType, resource, synthFailure, useStacks, variant } from "../helpers/synth";
import { synthConfig } from "../helpers/synth";
import { estimateCost } from "../../synth/cost";

const T = {
  action: "aws:appautoscaling/scheduledAction:ScheduledAction",
  schedule: "aws:scheduler/schedule:Schedule",
  target: "aws:appautoscaling/target:Target",
  service: "aws:ecs/service:Service",
  rds: "aws:rds/instance:Instance",
  nat: "aws:ec2/instance:Instance",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  route: "aws:ec2/route:Route",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

const r = useStacks();
const targetsOf = (env: string, type: string) =>
  ofType(r(env), T.schedule).filter((s) =>
    (s.propertyDependencies["target"] ?? []).some((urn) => r(env).resources.find((x) => x.urn === urn)?.type === type),
  );

describe("office hours", () => {
  test("staging sleeps out of office hours: its service, its database, its NAT instance and its alarms", () => {
    const service = resource(r("staging"), T.service, "api");
    const target = resource(r("staging"), T.target, "api-scaling");
    expect(target.propertyDependencies["resourceId"]).toContain(service.urn);
    expect(
      ofType(r("staging"), T.action).map((a) => [a.name, a.inputs["schedule"], a.inputs["scalableTargetAction"]]),
    ).toEqual([
      ["office-hours-api-sleep", "cron(0 19 ? * MON-FRI *)", { minCapacity: 0, maxCapacity: 0 }],
      ["office-hours-api-wake", "cron(0 8 ? * MON-FRI *)", { minCapacity: 1, maxCapacity: 2 }],
    ]);
    expect(targetsOf("staging", T.rds).map((s) => s.name)).toEqual([
      "office-hours-database-start",
      "office-hours-database-stop",
    ]);
    expect(targetsOf("staging", T.nat).map((s) => s.name)).toEqual(["office-hours-nat-start", "office-hours-nat-stop"]);
    // Every alarm of the stack's region is silenced (the preset has no us-east-1 uptime alarms in staging).
    const silenced = JSON.parse(
      String(
        (resource(r("staging"), T.schedule, "office-hours-alarms-off").inputs["target"] as { input: string }).input,
      ),
    ).AlarmNames as string[];
    expect(silenced.sort()).toEqual(
      ofType(r("staging"), T.alarm)
        .filter((a) => a.name.startsWith("monitoring-"))
        .map((a) => String(a.state!["name"] ?? a.inputs["name"]))
        .sort(),
    );
    // Application Auto Scaling owns the task count: an update must not set it back.
    expect(service.options.ignoreChanges).toEqual(["desiredCount"]);
  });

  test("a deploy or a drift check at night leaves the schedules' settings alone", () => {
    for (const a of ofType(r("staging"), T.alarm).filter((x) => x.name.startsWith("monitoring-"))) {
      expect(a.options.ignoreChanges).toEqual(["actionsEnabled"]);
    }
    expect([...(resource(r("staging"), T.target, "api-scaling").options.ignoreChanges ?? [])].sort()).toEqual([
      "maxCapacity",
      "minCapacity",
    ]);
    // Production has no schedule: its alarms and scaling range follow the code.
    for (const a of ofType(r("production"), T.alarm)) expect(a.options.ignoreChanges).toBeUndefined();
    expect(resource(r("production"), T.target, "api-scaling").options.ignoreChanges).toBeUndefined();
  });

  test("a preview sleeps its own service and database; staging's NAT instance follows staging's hours", () => {
    expect(ofType(r("preview"), T.action)).toHaveLength(2);
    expect(targetsOf("preview", T.rds)).toHaveLength(2);
    expect(ofType(r("preview"), T.nat)).toEqual([]);
  });

  test("production and dev never sleep", () => {
    for (const env of ["production", "production-large", "dev"]) {
      expect(ofType(r(env), T.action)).toEqual([]);
      expect(ofType(r(env), T.schedule)).toEqual([]);
    }
  });

  test("`officeHours: always` keeps staging awake; a partial object keeps the preset's other keys", async () => {
    const always = await synthConfig(variant("staging", { officeHours: "always" }));
    expect(ofType(always, T.schedule)).toEqual([]);
    expect(ofType(always, T.action)).toEqual([]);
    const late = await synthConfig(variant("staging", { officeHours: { from: 9, timezone: "Europe/Dublin" } }));
    expect(resource(late, T.action, "office-hours-api-wake").inputs).toMatchObject({
      schedule: "cron(0 9 ? * MON-FRI *)",
      timezone: "Europe/Dublin",
    });
    expect(resource(late, T.action, "office-hours-api-sleep").inputs["schedule"]).toBe("cron(0 19 ? * MON-FRI *)");
  });

  test("the estimate prices staging's service, database and NAT instance by their awake share", () => {
    const cost = estimateCost(r("staging"));
    const basis = (name: string) => (cost.resources.find((x) => x.name === name)!.cost as { basis: string }).basis;
    expect(basis("api")).toContain("awake 33 % of the week");
    expect(basis("database")).toContain("awake 34 % of the week");
    expect(basis("network-nat")).toContain("awake 34 % of the week");
    expect(basis("cache")).not.toContain("awake");
  });
});

describe("an IPv6-only load balancer behind Cloudflare", () => {
  test("the VPC has an Amazon /56 and each public subnet a /64 of it; private subnets stay IPv4-only", () => {
    for (const env of ["staging", "production"]) {
      const vpc = resource(r(env), T.vpc, "network-vpc");
      expect(vpc.inputs["assignGeneratedIpv6CidrBlock"]).toBe(true);
      const block = String(vpc.state!["ipv6CidrBlock"]);
      for (const s of ofType(r(env), T.subnet)) {
        const tier = (s.inputs["tags"] as Record<string, string>)["Tier"];
        const index = Number(s.name.split("-").pop()) - 1;
        if (tier === "public") {
          expect(s.inputs["ipv6CidrBlock"]).toBe(ipv6SubnetCidr(block, index));
          expect(s.inputs["assignIpv6AddressOnCreation"]).toBe(false);
        } else {
          expect(s.inputs).not.toHaveProperty("ipv6CidrBlock");
        }
      }
      const v6 = resource(r(env), T.route, "network-public-default-ipv6");
      expect(v6.inputs).toMatchObject({
        destinationIpv6CidrBlock: "::/0",
        gatewayId: resource(r(env), "aws:ec2/internetGateway:InternetGateway", "network-igw").id,
      });
    }
  });

  test("has no public IPv4 address and is reached by Cloudflare under its dualstack name", () => {
    for (const env of ["staging", "production"]) {
      const alb = resource(r(env), T.alb, "api-alb");
      expect(alb.inputs["ipAddressType"]).toBe("dualstack-without-public-ipv4");
      // Not before its subnets route IPv6 (an existing load balancer switched to IPv6 keeps a public path).
      expect(alb.dependencies).toContain(resource(r(env), T.route, "network-public-default-ipv6").urn);
      expect(r(env).outputs["apiLoadBalancerDnsName"]).toBe(`dualstack.${String(alb.state!["dnsName"])}`);
    }
  });

  test("a load balancer that Cloudflare does not proxy keeps its public IPv4", async () => {
    const direct = await synthConfig(
      variant("staging", { dns: { zoneId: "fedcba9876543210fedcba9876543210", proxied: false } }),
    );
    expect(resource(direct, T.alb, "api-alb").inputs["ipAddressType"]).toBe("ipv4");
  });

  test("an IPv6 /64 is cut from the /56 AWS assigns, whatever its notation", () => {
    expect(ipv6SubnetCidr("2600:1f18:abc:de00::/56", 0)).toBe("2600:1f18:abc:de00::/64");
    expect(ipv6SubnetCidr("2600:1f18:abc:de00::/56", 1)).toBe("2600:1f18:abc:de01::/64");
    expect(ipv6SubnetCidr("2a05:d018:0:ff00::/56", 255)).toBe("2a05:d018:0:ffff::/64");
    expect(() => ipv6SubnetCidr("2600:1f18:abc:de00::/64", 0)).toThrow("expected the VPC's IPv6 /56");
    expect(() => ipv6SubnetCidr("2600:1f18:abc:de00::/56", 256)).toThrow("a /56 holds /64s 0 to 255 (got 256)");
  });
});

test("each mistake inside officeHours is named by its own key", async () => {
  const error = await synthFailure(variant("staging", { officeHours: { days: "WEEKENDS", form: 8 } }));
  expect(error.message).toContain('officeHours.form is not a known setting (did you mean "from"?)');
  expect(error.message).toContain('officeHours.days must be one of "MON-FRI", "MON-SAT", "SUN-SAT" (got "WEEKENDS")');
});
