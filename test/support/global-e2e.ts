import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startFakeOidc } from "./fake-oidc";
import { startMailBox } from "./mail-box";
import { createTestDatabase, type TestDatabase } from "./test-database";
import { freePort } from "./free-port";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The e2e app's database on a PostgreSQL server, for tests that check what was (not) written; "" when embedded. */
    e2eDatabaseUrl: string;
    /** Where the suite's SMTP server writes each mail the app sent (test/support/mail-box.ts). */
    mailDir: string;
  }
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The app exited with code ${child.exitCode} before it was ready.`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The app did not become healthy within ${timeoutMs / 1000} s.`);
}

/**
 * Start the production app the way a user does (`npm start`: build if needed,
 * migrate, seed, serve) on a fresh database, for the browser tests.
 */
export default async function setup(project: TestProject) {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase("propagate_e2e", { migrate: false });
    env.DATABASE_URL = database.url;
    env.AUTH_SECRET = "e2e-secret-0123456789-0123456789-0123456789";
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), "propagate-e2e-"));
    env.PROPAGATE_DATA_DIR = dataDir;
  }
  env.ADMIN_EMAIL = "admin@e2e.example, moderator@e2e.example, edge-admin@e2e.example, mail-moderator@e2e.example";
  // Uploads: small limits, so a test can pass them with a small file (test/e2e/media.spec.ts, edge.spec.ts).
  env.MEDIA_MAX_IMAGE_MB = "1";
  env.MEDIA_MAX_AV_MB = "1";
  env.MEDIA_MAX_DOCUMENT_MB = "1";
  // Every browser in the suite signs up from 127.0.0.1.
  env.SIGNUP_IP_LIMIT = "1000";
  // A local OpenID Connect issuer, so the OIDC sign-in is exercised end to end.
  const oidc = await startFakeOidc({ sub: "oidc-user-1", name: "Olive Oidc", email: "olive@oidc.example" });
  env.OIDC_ISSUER = oidc.issuer;
  env.OIDC_CLIENT_ID = "propagate-e2e";
  env.OIDC_CLIENT_SECRET = "propagate-e2e-secret";
  env.OIDC_NAME = "Test SSO";
  // A real SMTP server in this process: the app's mail goes there, and tests read it from mailDir.
  const mailDir = mkdtempSync(path.join(tmpdir(), "propagate-e2e-mail-"));
  const mailBox = await startMailBox(mailDir);
  env.SMTP_URL = mailBox.url;
  env.MAIL_FROM = "Propagate <wiki@e2e.example>";
  const port = await freePort();
  // The shared wiki under test competes for two cores with Chromium and the test runner, sessions of
  // their own: its application's scheduling group is not lowered here (the walk took 255 s lowered by
  // 15, 207 s not). front-server.spec.ts checks the lowering on a wiki of its own, with the default.
  env.PROPAGATE_APP_GROUP_NICE = "0";
  env.PORT = String(port);
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/start.ts"], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    await waitForHealth(baseUrl, child, 600_000);
  } catch (error) {
    child.kill("SIGTERM");
    await database?.drop();
    await oidc.stop();
    await mailBox.stop();
    throw error;
  }
  project.provide("baseUrl", baseUrl);
  project.provide("e2eDatabaseUrl", database?.url ?? "");
  project.provide("mailDir", mailDir);
  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    await database?.drop();
    await oidc.stop();
    await mailBox.stop();
    rmSync(mailDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
