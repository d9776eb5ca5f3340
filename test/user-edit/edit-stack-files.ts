import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, parseDocument, type Document } from "yaml";
import { listStacks, readProjectName } from "../../infra/stack-file";

/** What a team changes first when it adopts the example stack files for its own app. */
export interface UserEdit {
  readonly appName: string;
  /** Production's domain, the apex; staging becomes `staging.<apex>` and dev `<appName>.localhost`. */
  readonly apex: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  /** The team's own backend, relative to the project: every stack's `api.build.context` and each service's. */
  readonly buildContext: string;
}

/** A non-default port and health path, so that the edit changes what the program declares. */
export const ZENITH_CRM: UserEdit = {
  appName: "zenith-crm",
  apex: "zenith-crm.io",
  containerPort: 3000,
  healthCheckPath: "/healthz",
  buildContext: "backend",
};

/**
 * Rewrites every `Pulumi.<stack>.yaml` in `dir` as a team adopting them would: the example's app name and apex are
 * replaced everywhere (domains, alert emails, repositories, comments), and each stack's API gets the build context,
 * port and health path. Comments and layout are kept. Throws when a file does not end up with the edit, so the check cannot pass by
 * editing nothing (say, after the example's name changes). Returns the stacks edited.
 */
export function editStackFiles(dir: string, edit: UserEdit = ZENITH_CRM): string[] {
  const project = readProjectName(dir);
  const key = (k: string) => `${project}:${k}`;
  const stacks = listStacks(dir);
  const read = (stack: string) => parseDocument(readFileSync(join(dir, `Pulumi.${stack}.yaml`), "utf8"));
  const production = read("production");
  const oldApex = production.getIn(["config", key("domain")]);
  const oldName = production.getIn(["config", key("appName")]);
  if (typeof oldApex !== "string" || typeof oldName !== "string") {
    throw new Error(`Pulumi.production.yaml in ${dir} sets no ${key("domain")} or ${key("appName")}`);
  }
  for (const stack of stacks) {
    const file = join(dir, `Pulumi.${stack}.yaml`);
    const text: string = readFileSync(file, "utf8").split(oldApex).join(edit.apex).split(oldName).join(edit.appName);
    const doc: Document = parseDocument(text);
    const environment = doc.getIn(["config", key("environment")]);
    const domain =
      environment === "production"
        ? edit.apex
        : environment === "dev"
          ? `${edit.appName}.localhost`
          : `${stack}.${edit.apex}`;
    doc.setIn(["config", key("appName")], edit.appName);
    doc.setIn(["config", key("domain")], domain);
    if (!isMap(doc.getIn(["config", key("api")]))) doc.setIn(["config", key("api")], doc.createNode({}));
    doc.setIn(["config", key("api"), "build"], doc.createNode({ context: edit.buildContext }));
    doc.setIn(["config", key("api"), "containerPort"], edit.containerPort);
    doc.setIn(["config", key("api"), "healthCheckPath"], edit.healthCheckPath);
    // Their other services are built from their own code too (the example's folders are not theirs).
    const services = doc.getIn(["config", key("services")]);
    if (isMap(services)) {
      for (const item of services.items) {
        const name = String(item.key);
        if (doc.hasIn(["config", key("services"), name, "build"])) {
          doc.setIn(["config", key("services"), name, "build"], doc.createNode({ context: edit.buildContext }));
        }
      }
    }
    const out: string = doc.toString();
    if (out.includes(oldApex) || out.includes(oldName)) {
      throw new Error(`Pulumi.${stack}.yaml still mentions ${oldName} or ${oldApex} after the edit`);
    }
    writeFileSync(file, out);
  }
  return stacks;
}
