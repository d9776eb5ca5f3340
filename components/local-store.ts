import * as docker from "@pulumi/docker";
import { localName } from "./naming";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { transform, type Transform } from "./transform";

/**
 * What every local (dev) data store starts from: a random password (even on a laptop: no well-known password on a
 * local port, and the same secret handling as the cloud), the pinned image kept locally, and a named volume that
 * keeps the data across `pulumi up` runs and container replacements.
 */
export function localStore(
  name: string,
  args: {
    readonly image: string;
    readonly transform?: {
      readonly image?: Transform<docker.RemoteImageArgs>;
      readonly volume?: Transform<docker.VolumeArgs>;
    };
  },
  parent: pulumi.ComponentResource,
): {
  /** `<project>-<stack>-<name>`: the container's name and its volume's prefix. */
  readonly scope: string;
  readonly password: pulumi.Output<string>;
  readonly image: docker.RemoteImage;
  readonly volume: docker.Volume;
} {
  const opts: pulumi.CustomResourceOptions = { parent };
  const scope = localName(name);
  const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { ...opts });
  const image = new docker.RemoteImage(
    ...transform(args.transform?.image, `${name}-image`, { name: args.image, keepLocally: true }, { ...opts }),
  );
  const volume = new docker.Volume(
    ...transform(args.transform?.volume, `${name}-data`, { name: `${scope}-data` }, { ...opts }),
  );
  return { scope, password: pulumi.secret(password.result), image, volume };
}
