import { beforeEach, describe, expect, it } from "vitest";
import { accounts } from "@/lib/db/schema";
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
});
