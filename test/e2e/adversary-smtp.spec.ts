import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";
import { freePort } from "../support/free-port";
import { startSmtpSink } from "../support/smtp-sink";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/**
 * Issue 18's outbox against the production build, with a mail server that
 * misbehaves: first one that accepts connections and never says a word (a
 * tarpit), then a real SMTP server on the same port. Requests that queue mail
 * must answer as fast as ever, and every mail must arrive once, later. A wiki
 * of this spec's own: the shared one's mail server must stay healthy.
 */
let app: Awaited<ReturnType<typeof startApp>>;
let browser: Browser;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let smtpPort: number;
let tarpit: Server | null = null;
const held: Socket[] = [];
let connections = 0;

function startTarpit(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      connections++;
      held.push(socket); // accepted, never answered
      socket.on("error", () => {});
    });
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

beforeAll(async () => {
  smtpPort = await freePort();
  tarpit = await startTarpit(smtpPort);
  const env: Record<string, string> = { AUTH_SECRET: "smtp-secret-0123456789-0123456789-0123456789", SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: "Propagate <wiki@smtp.example>", SIGNUP_IP_LIMIT: "1000" };
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase("propagate_smtp", { migrate: false });
    env.DATABASE_URL = database.url;
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), "propagate-smtp-"));
    env.PROPAGATE_DATA_DIR = dataDir;
  }
  // The shared e2e setup has built the wiki already.
  app = await startApp(env, "/api/health", 120_000, ["--no-build"]);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const socket of held.splice(0)) socket.destroy();
  await new Promise((r) => (tarpit ? tarpit.close(r) : r(null)));
  await app?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("a mail server that is down or silent", () => {
  it("sign-ups and reset requests answer at once while the mail server holds the mail loop; the mails arrive once it is back", async () => {
    const people = [0, 1, 2].map((i) => ({ name: `Tarpit Person ${i}`, email: `tarpit${i}@smtp.example`, password: `lantern orchard kettle ${40 + i}` }));
    for (const who of people) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = performance.now();
      await signUpViaForm(page, app.base, who, false);
      // The mail server's greeting timeout is 10 s: a request that waited for it would take longer.
      expect(performance.now() - started).toBeLessThan(8_000);
      await context.close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.base + "/forgot-password");
    await hydrated(page);
    await page.getByRole("textbox", { name: "Email" }).fill(people[0]!.email);
    const asked = performance.now();
    await page.getByRole("button", { name: "Send me a reset link" }).click();
    await page.getByRole("status").filter({ hasText: "If an account uses this address" }).waitFor();
    expect(performance.now() - asked).toBeLessThan(5_000);
    await context.close();
    // The loop has reached the silent server; the wiki still answers.
    await expect.poll(() => connections, { timeout: 20_000 }).toBeGreaterThan(0);
    const health = await fetch(app.base + "/api/health", { signal: AbortSignal.timeout(2_000) });
    expect(health.status).toBe(200);

    // The mail server comes back on the same port: each mail arrives once, after its back-off (a minute).
    for (const socket of held.splice(0)) socket.destroy();
    await new Promise((r) => tarpit!.close(r));
    tarpit = null;
    const sink = await startSmtpSink(smtpPort);
    try {
      for (const who of people) await sink.waitFor(who.email, /^Confirm your email address/, 150_000);
      await sink.waitFor(people[0]!.email, /^Reset your Propagate password/, 150_000);
      await new Promise((r) => setTimeout(r, 6_000)); // a round of the loop more: nothing is sent twice
      expect(sink.mails.map((m) => `${m.to} ${m.subject}`).sort()).toEqual(
        [...people.map((p) => `${p.email} Confirm your email address for Propagate`), `${people[0]!.email} Reset your Propagate password`].sort(),
      );
    } finally {
      await sink.stop();
    }
  }, 300_000);
});
