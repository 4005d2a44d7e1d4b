// An open-loop load generator, run in a process of its own so that nothing
// else the benchmark does (parsing hostile responses, say) delays it:
//   node bench/open-loop.mjs <url> <requests per second> <seconds> [connections]
// Requests are sent on a fixed schedule, whatever the answers take, over at
// most `connections` keep-alive sockets (a request waits for a free one).
// Each latency runs from the moment the request was due, not from when it
// could be sent, so a stalled server is charged for every request it delayed
// (no coordinated omission). Prints one line of JSON.
import console from "node:console";
import http from "node:http";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { setTimeout } from "node:timers";

const [url, rateArg, secondsArg, connectionsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const connections = Number(connectionsArg ?? 16);
if (!url || !(rate > 0) || !(seconds > 0)) {
  console.error("usage: node bench/open-loop.mjs <url> <rate> <seconds> [connections]");
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const total = Math.round(rate * seconds);
const interval = 1000 / rate;
const latencies = [];
const statuses = {};
let errors = 0;
let sent = 0;
let done = 0;
const started = performance.now();

const lateness = [];

function fire(due) {
  lateness.push(performance.now() - due);
  const request = http.get(url, { agent, headers: { "Accept-Encoding": "gzip" }, timeout: 10_000 }, (res) => {
    res.resume();
    res.on("end", () => finish(due, res.statusCode));
    res.on("error", () => finish(due, "error"));
  });
  request.on("timeout", () => request.destroy(new Error("timeout")));
  request.on("error", () => finish(due, "error"));
}

function finish(due, status) {
  latencies.push(performance.now() - due);
  if (status === "error") errors++;
  else statuses[status] = (statuses[status] ?? 0) + 1;
  if (++done === total) summarise();
}

function tick() {
  const now = performance.now();
  while (sent < total && started + sent * interval <= now) fire(started + sent++ * interval);
  if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, started + sent * interval - now)));
}

function summarise() {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p) => +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
  const elapsed = (performance.now() - started) / 1000;
  // How late this generator itself sent its requests (a starved generator, not the server, would show here).
  const late = lateness.sort((a, b) => a - b);
  const sendLagP99Ms = +late[Math.min(late.length - 1, Math.floor(0.99 * late.length))].toFixed(2);
  console.log(JSON.stringify({ requests: total, seconds: +elapsed.toFixed(2), statuses, errors, p50Ms: at(50), p90Ms: at(90), p99Ms: at(99), maxMs: +sorted.at(-1).toFixed(2), sendLagP99Ms }));
  agent.destroy();
}

tick();
