import { spawnSync } from "node:child_process";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { actorFromToken } from "@/lib/auth/tokens";
import { getUserByEmail, verifyCredentials } from "@/lib/users/accounts";
import { closeTestDb, resetDatabase, testDb } from "../../support/db";

function admin(...args: string[]) {
  return spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/admin.ts", ...args], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
    encoding: "utf8",
    timeout: 60_000,
  });
}

// The test's connection is closed for each call, so nothing of it is pending while the CLI runs.
async function run(...args: string[]) {
  await closeTestDb();
  return admin(...args);
}

beforeEach(resetDatabase);

describe("npm run admin", () => {
  it("creates a user with a role and password, changes the role, blocks and unblocks", async () => {
    let r = await run("create-user", "--email", "ops@example.org", "--name", "Ops Person", "--role", "moderator", "--password", "a fine long secret");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Created Ops Person <ops@example.org> as moderator.");
    expect((await verifyCredentials(testDb(), { email: "ops@example.org", password: "a fine long secret", ip: "cli" }))?.role).toBe("moderator");

    r = await run("set-role", "--email", "ops@example.org", "--role", "admin");
    expect(r.stdout).toContain("Ops Person is now admin.");
    r = await run("block", "--email", "ops@example.org");
    expect(r.stdout).toContain("is blocked");
    expect((await getUserByEmail(testDb(), "ops@example.org"))?.blockedAt).not.toBeNull();
    await run("unblock", "--email", "ops@example.org");
    expect((await getUserByEmail(testDb(), "ops@example.org"))?.blockedAt).toBeNull();
  });

  it("prints a working API token with the asked scope", async () => {
    await run("create-user", "--email", "bot@example.org", "--name", "Link bot", "--role", "editor");
    const r = await run("token", "--email", "bot@example.org", "--scope", "write");
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^prop_/);
    expect(await actorFromToken(testDb(), token)).toMatchObject({ name: "Link bot", scope: "write" });
  });

  it.each([
    [["create-user", "--email", "x@example.org", "--name", "X"], /Missing --role/, 2],
    [["set-role", "--email", "x@example.org", "--role", "wizard"], /--role must be one of reader, editor, moderator, admin/, 2],
    [["token", "--email", "x@example.org", "--scope", "all"], /--scope must be read or write/, 2],
    [["frobnicate", "--email", "x@example.org"], /Unknown command "frobnicate"/, 2],
    [["block", "--email", "x@example.org", "--bogus"], /Unknown option '--bogus'/, 2],
    [["block", "--email", "nobody@example.org"], /No user has the email nobody@example.org/, 1],
    [["create-user", "--email", "y@example.org", "--name", "Y Person", "--role", "editor", "--password", "short"], /at least 10/, 1],
  ])("fails with a clear message on %j", async (args, message, code) => {
    const r = await run(...(args as string[]));
    expect(r.status).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
