import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { accounts, users } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { signUp, userForOAuth } from "@/lib/users/accounts";
import { resetDatabase, testDb } from "../../support/db";

beforeEach(resetDatabase);

const github = (id: string, extra: Partial<{ name: string; email: string }> = {}) => ({
  provider: "github",
  providerAccountId: id,
  type: "oauth",
  name: "Octo Cat",
  email: `octo${id}@example.org`,
  ...extra,
});

describe("OAuth and OIDC sign-ins", () => {
  it("create a user on first sign-in (admin on an empty wiki) and find the same user next time", async () => {
    const db = testDb();
    const first = await userForOAuth(db, github("1"));
    expect(first.role).toBe("admin");
    const again = await userForOAuth(db, github("1", { name: "Renamed Upstream" }));
    expect(again.id).toBe(first.id);
    expect(await db.select().from(accounts)).toHaveLength(1);
  });

  it("never take over an existing account by matching an email", async () => {
    const db = testDb();
    const local = await signUp(db, { name: "Local Person", email: "same@example.org", password: "a long enough secret", ip: "1.2.3.4" });
    const oauth = await userForOAuth(db, github("2", { email: "same@example.org", name: "Local Person" }));
    expect(oauth.id).not.toBe(local.id);
    expect(oauth.email).toBeNull();
    expect(oauth.name).toBe("Local Person 2");
    expect(oauth.role).toBe("editor");
  });

  it("ADMIN_EMAIL promotes only an email the provider verified and nobody here has", async () => {
    process.env.ADMIN_EMAIL = "boss@example.org, chief@example.org";
    resetEnv();
    try {
      const db = testDb();
      await signUp(db, { name: "Boss", email: "boss@example.org", password: "quiet harbour lantern 73", ip: "192.0.2.1" });
      const oidc = (id: string, email: string, emailVerified: boolean) => ({ provider: "oidc", providerAccountId: id, type: "oauth", name: `Claimant ${id}`, email, emailVerified });
      expect((await userForOAuth(db, oidc("a", "BOSS@example.org", true))).role).toBe("editor"); // taken by the real boss
      await db.delete(users).where(eq(users.email, "boss@example.org"));
      expect((await userForOAuth(db, oidc("b", "boss@example.org", false))).role).toBe("editor"); // not verified
      expect((await userForOAuth(db, oidc("c", "chief@example.org", true))).role).toBe("admin");
    } finally {
      delete process.env.ADMIN_EMAIL;
      resetEnv();
    }
  });

  it("two simultaneous first sign-ins with one account make one user, not a server error", async () => {
    const db = testDb();
    const results = await Promise.all([userForOAuth(db, github("77")), userForOAuth(db, github("77")), userForOAuth(db, github("77"))]);
    expect(new Set(results.map((u) => u.id)).size).toBe(1);
    expect(await db.select().from(accounts)).toHaveLength(1);
  });
});
