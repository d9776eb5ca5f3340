import type { PolicyResource } from "@pulumi/policy";
import { readinessPolicies, universalSslCovers, waitsFor } from "../../policy/deployability";

/** A bare resource of the graph `waitsFor` walks. */
const node = (name: string): PolicyResource =>
  ({ name, type: "t", urn: name, props: {}, dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource;

describe("waitsFor", () => {
  test("follows inputs and dependsOn through other resources", () => {
    const [service, association, route, table] = ["service", "association", "route", "table"].map(node) as [
      PolicyResource,
      PolicyResource,
      PolicyResource,
      PolicyResource,
    ];
    association.propertyDependencies = { routeTableId: [table] };
    service.dependencies = [route];
    service.propertyDependencies = { networkConfiguration: [association] };
    expect([...waitsFor(service)].map((r) => r.name).sort()).toEqual(["association", "route", "table"]);
  });

  test("ends on a cycle", () => {
    const [a, b] = ["a", "b"].map(node) as [PolicyResource, PolicyResource];
    a.dependencies = [b];
    b.dependencies = [a];
    expect([...waitsFor(a)].map((r) => r.name).sort()).toEqual(["a", "b"]);
  });
});

describe("universalSslCovers", () => {
  test("covers the apex and one label below it", () => {
    expect(universalSslCovers("acme-app.com", "acme-app.com")).toBe(true);
    expect(universalSslCovers("acme-app.com", "api.acme-app.com")).toBe(true);
  });

  test("covers neither a deeper name nor a name that only ends like the apex", () => {
    expect(universalSslCovers("acme-app.com", "api.staging.acme-app.com")).toBe(false);
    expect(universalSslCovers("acme-app.com", "evilacme-app.com")).toBe(false);
  });
});

test("the deploy plan runs exactly the readiness rules", () => {
  expect(readinessPolicies.map((p) => p.name).sort()).toEqual([
    "ecs-service-waits-for-egress",
    "https-listener-waits-for-certificate",
    "log-export-waits-for-log-group",
    "mutual-tls-waits-for-origin-pulls",
    "secret-readers-wait-for-value",
  ]);
});
