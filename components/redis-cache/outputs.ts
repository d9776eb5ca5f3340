import type * as pulumi from "@pulumi/pulumi";

/** What both variants of the cache give their consumers. */
export interface CacheOutputs {
  /** Host name the services connect to (the primary endpoint, or the container's alias on the Docker network). */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** `rediss://` (cloud, TLS) or `redis://` (local) URL including the password: always secret. */
  readonly url: pulumi.Output<string>;
}
