// The components' pure argument checks, at their boundaries (the stack-file tests cover the keys they map to).
import { containerHealthCheckProblem } from "../../components/api-service/health";
import {
  minStorageCeiling,
  storageAutoscaling,
  storageAutoscalingProblem,
} from "../../components/managed-postgres/storage";

describe("a container health check", () => {
  const DOCKER_FORM = /^must be a command in Docker's form: \["CMD", "<executable>", "<arg>", …\] or \["CMD-SHELL"/;

  test.each([
    ["none (there is no default)", undefined],
    ["an executable with arguments", ["CMD", "curl", "-f", "http://127.0.0.1:8080/health"]],
    ["a shell command", ["CMD-SHELL", "curl -f http://127.0.0.1:8080/health || exit 1"]],
    ["the shortest: an executable alone", ["CMD", "true"]],
  ])("%s passes", (_, check) => {
    expect(containerHealthCheckProblem(check)).toBeUndefined();
  });

  test.each([
    ["no command at all", []],
    ["CMD without an executable", ["CMD"]],
    ["CMD-SHELL without a command", ["CMD-SHELL"]],
    ["a command without CMD or CMD-SHELL", ["curl", "-f", "http://127.0.0.1/health"]],
    ["NONE (Docker's way to turn a check off)", ["NONE", "x"]],
    ["CMD in lower case", ["cmd", "true"]],
    ["an empty executable", ["CMD", ""]],
    ["an empty argument", ["CMD", "curl", ""]],
    ["an empty first word", ["", "true"]],
  ])("%s is refused, with the form to use", (_, check) => {
    expect(containerHealthCheckProblem(check)).toMatch(DOCKER_FORM);
  });
});

describe("an RDS storage ceiling", () => {
  test("the least ceiling is 10 % above the allocation, rounded up", () => {
    expect(minStorageCeiling(20)).toBe(22);
    expect(minStorageCeiling(100)).toBe(110); // not 110.00000000000001
    expect(minStorageCeiling(25)).toBe(28); // 27.5
  });

  test.each([
    ["equal: autoscaling off", 20, 20, false],
    ["exactly 10 % above", 20, 22, true],
    ["far above", 20, 1000, true],
  ])("%s passes (autoscaling: %s)", (_, allocatedStorageGb, maxAllocatedStorageGb, on) => {
    expect(storageAutoscalingProblem({ allocatedStorageGb, maxAllocatedStorageGb })).toBeUndefined();
    expect(storageAutoscaling({ allocatedStorageGb, maxAllocatedStorageGb })).toBe(on);
  });

  test.each([
    ["less than 10 % above", 20, 21],
    ["below the allocation", 20, 10],
    ["one short of the rounded-up least", 25, 27],
  ])("%s is refused with both ways out", (_, allocatedStorageGb, maxAllocatedStorageGb) => {
    const least = minStorageCeiling(allocatedStorageGb);
    expect(storageAutoscalingProblem({ allocatedStorageGb, maxAllocatedStorageGb })).toBe(
      `must equal the allocated storage (${allocatedStorageGb}) to turn storage autoscaling off, or be at least ${least}: ` +
        `RDS refuses a ceiling less than 10 % above the allocation (got ${maxAllocatedStorageGb})`,
    );
  });
});
