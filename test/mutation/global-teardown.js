// @ts-check
"use strict";
const fs = require("node:fs");
const { SYNTH_CACHE_ENV, baseline } = require("./scope");

/** Removes a mutant's stacks; the baseline stays for the next mutant. */
module.exports = async function globalTeardown() {
  const dir = process.env[SYNTH_CACHE_ENV];
  if (dir !== undefined && dir !== baseline().dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[SYNTH_CACHE_ENV];
};
