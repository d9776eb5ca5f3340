// The example scheduled job (services.nightly): runs once and exits; exit code 0 is success, anything else fails the
// run (retried, then alarmed). A real job would clean up, send digests or aggregate; this one checks PostgreSQL.
"use strict";
const net = require("node:net");

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("nightly: DATABASE_URL is not set");
  process.exit(1);
}
const { hostname, port } = new URL(url);
const socket = net.connect({ host: hostname, port: Number(port || 5432), timeout: 10000 });
const done = (ok, why) => {
  socket.destroy();
  console.log(ok ? `nightly: PostgreSQL at ${hostname} answered; job done` : `nightly: ${why}`);
  process.exit(ok ? 0 : 1);
};
socket.once("connect", () => done(true));
socket.once("timeout", () => done(false, `no answer from ${hostname} within 10 s`));
socket.once("error", (e) => done(false, `cannot reach ${hostname}: ${e.message}`));
