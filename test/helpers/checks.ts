/** The problems a component's argument check reports, without its header (which it checks names the component). */
export function problemsOf(component: string, name: string, check: () => void): string[] {
  try {
    check();
  } catch (e) {
    const [header, ...lines] = (e as Error).message.split("\n");
    expect(header).toBe(`${component} "${name}" has invalid args:`);
    return lines.map((l) => l.replace(/^ {2}- /, ""));
  }
  return [];
}

/** Another stack's load balancer for ApiService's `sharedLoadBalancer` (the outputs its owner exports), one host. */
export const SHARED_LOAD_BALANCER = {
  clusterArn: "c",
  clusterName: "c",
  loadBalancerArn: "lb",
  loadBalancerArnSuffix: "app/lb/1",
  loadBalancerDnsName: "lb.example.com",
  loadBalancerZoneId: "Z",
  securityGroupId: "sg",
  httpsListenerArn: "l",
  hostnames: ["api.example.com"],
  priority: 1,
};
