/**
 * An opt-in container health check: the user's command, in Docker's form (`["CMD", "curl", "-f", "http://…"]` or
 * `["CMD-SHELL", "…"]`). There is no default: a command the image lacks (`wget` is absent from `python:*-slim`, for
 * one) marks every task unhealthy, and in AWS the load balancer's HTTP check already decides whether a task serves
 * (ECS replaces the tasks it finds unhealthy there). Pure.
 */
export type ContainerHealthCheck = readonly string[];

/** What is wrong with a container health check, as "must …", or undefined. */
export function containerHealthCheckProblem(check: ContainerHealthCheck | undefined): string | undefined {
  if (check === undefined) return undefined;
  if (check.length < 2 || (check[0] !== "CMD" && check[0] !== "CMD-SHELL") || check.some((c) => c === "")) {
    return 'must be a command in Docker\'s form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"]';
  }
  return undefined;
}
