/* global process, console */
// The production HTTP server: Next.js behind a thin Node server that records
// the client's real address. Rate limits key on X-Forwarded-For's last hop, so
// a header sent by the client must not be trusted unless a reverse proxy we
// run sets it (TRUST_PROXY=on): otherwise it is replaced by the socket address.
import { createServer } from "node:http";
import next from "next";

const port = Number(process.env.PORT ?? 3000);
const dev = process.argv.includes("--dev");
const trustProxy = process.env.TRUST_PROXY === "on";
const app = next({ dev, dir: process.cwd(), port, hostname: "0.0.0.0" });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  const socketAddress = req.socket.remoteAddress ?? "unknown";
  const forwarded = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = trustProxy && forwarded ? `${forwarded}, ${socketAddress}` : socketAddress;
  handle(req, res);
});
server.listen(port, () => console.log(`✓ Propagate ready on http://localhost:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
