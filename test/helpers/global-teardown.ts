import { rmSync } from "node:fs";
import { SYNTH_CACHE_ENV } from "./synth";

export default function globalTeardown(): void {
  const dir = process.env[SYNTH_CACHE_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
