// The example's migration (`api.migration: { command: [node, migrate.js] }`): it has no schema, so it only proves the
// release gate works: the task reaches PostgreSQL with the service's secrets, or it exits 1 and the release stops.
// Point the command at your own tool instead, e.g. [npx, prisma, migrate, deploy] or [alembic, upgrade, head].
"use strict";
const net = require("node:net");

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("migrate: DATABASE_URL is not set");
  process.exit(1);
}
const { hostname, port } = new URL(url);
const socket = net.connect({ host: hostname, port: Number(port || 5432), timeout: 10000 });
const done = (ok, why) => {
  socket.destroy();
  console.log(ok ? `migrate: PostgreSQL at ${hostname} accepts connections; nothing to migrate` : `migrate: ${why}`);
  process.exit(ok ? 0 : 1);
};
socket.once("connect", () => done(true));
socket.once("timeout", () => done(false, `no answer from ${hostname} within 10 s`));
socket.once("error", (e) => done(false, `cannot reach ${hostname}: ${e.message}`));
