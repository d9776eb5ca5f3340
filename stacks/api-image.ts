import type { ImageSource } from "../components/api-service";
import type { Settings } from "../infra/environments";

/** The API's image as the stack file gives it: a prebuilt reference, or a build context (tagged by `imageTag`). */
export function apiImage(settings: Settings): ImageSource {
  const { image, build, imageTag } = settings.api;
  if (image !== undefined) return { image };
  if (build === undefined) throw new Error(`${settings.stackFile}: api.image or api.build must be set`);
  return {
    build: {
      context: build.context,
      ...(build.dockerfile === undefined ? {} : { dockerfile: build.dockerfile }),
      ...(build.target === undefined ? {} : { target: build.target }),
    },
    ...(imageTag === undefined ? {} : { tag: imageTag }),
  };
}
