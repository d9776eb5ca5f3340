// Minimal example API for trying the whole flow: `/health` says the process is up, `/health/ready` also checks that
// PostgreSQL and Redis accept connections. Point `api.build.context` at your own backend instead.
"use strict";
const http = require("node:http");
const net = require("node:net");

const port = Number(process.env.PORT ?? 8080);

/** Resolves true when a TCP connection to the URL's host and port opens within 2 s. */
function reachable(url, defaultPort) {
  return new Promise((resolve) => {
    if (!url) return resolve(false);
    const { hostname, port: p } = new URL(url);
    const socket = net.connect({ host: hostname, port: Number(p || defaultPort), timeout: 2000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

const server = http.createServer(async (req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  if (req.url === "/health") return reply(200, { status: "ok" });
  if (req.url === "/health/ready") {
    const [postgres, redis] = await Promise.all([
      reachable(process.env.DATABASE_URL, 5432),
      reachable(process.env.REDIS_URL, 6379),
    ]);
    return reply(postgres && redis ? 200 : 503, { postgres, redis });
  }
  return reply(404, { error: "not found" });
});

server.listen(port, () => console.log(`listening on ${port} (${process.env.ENV ?? "unknown"} environment)`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
