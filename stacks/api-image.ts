import { imageSourceOf, type ImageSource } from "../components/api-service/image";
import type { Settings } from "../infra/environments";

/** The API's image as the stack file gives it: a prebuilt reference, or a build context (tagged by `imageTag`). */
export function apiImage(settings: Settings): ImageSource {
  const source = imageSourceOf(settings.api);
  if (source === undefined) throw new Error(`${settings.stackFile}: api.image or api.build must be set`);
  return source;
}
