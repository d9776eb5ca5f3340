// The example worker (services.worker): a long-running process with no port. It checks every 30 s that Redis, where a
// real worker would take its jobs from, accepts connections, and stops cleanly when ECS sends SIGTERM.
"use strict";
const net = require("node:net");
const { setInterval, clearInterval } = require("node:timers");

const url = process.env.REDIS_URL;
if (!url) {
  console.error("worker: REDIS_URL is not set");
  process.exit(1);
}
const { hostname, port } = new URL(url);

function tick() {
  const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 5000 });
  const done = (message) => {
    socket.destroy();
    console.log(`worker: ${message}`);
  };
  socket.once("connect", () => done(`Redis at ${hostname} accepts connections; waiting for jobs`));
  socket.once("timeout", () => done(`no answer from ${hostname} within 5 s`));
  socket.once("error", (e) => done(`cannot reach ${hostname}: ${e.message}`));
}

tick();
const timer = setInterval(tick, 30000);
process.once("SIGTERM", () => {
  clearInterval(timer);
  console.log("worker: stopping");
  process.exit(0);
});
