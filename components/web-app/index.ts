export { WebApp, validateWebAppArgs, type WebAppArgs, type VercelProjectSettings } from "./web-app";
