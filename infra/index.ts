// Entry point of the Pulumi program (`main` in Pulumi.yaml), and the only file that reads the stack's config.
import { readRawConfig, runProgram } from "./program";

export = async () => runProgram(readRawConfig());
