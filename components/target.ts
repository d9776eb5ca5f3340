/** Where a component runs: in AWS, or on the engineer's Docker (`dev`). */
export type Target = "aws" | "docker";

/**
 * A value only one variant has, typed exactly by the component's target: `new ApiService("api", { target: "aws", … })`
 * is an `ApiService<"aws">`, whose `cloud` is never undefined. With the target unknown (the union), it may be.
 */
export type AwsOnly<T extends Target, V> = T extends "aws" ? V : undefined;
export type DockerOnly<T extends Target, V> = T extends "docker" ? V : undefined;
