import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { can } from "@/lib/auth/policy";
import { actorFromToken, createApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/tokens";
import { rateLimits, users } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { changeName, changePassword, setBlocked, setRole, signUp, verifyCredentials } from "@/lib/users/accounts";
import { resetDatabase, testDb } from "../../support/db";

beforeEach(resetDatabase);
afterEach(() => {
  delete process.env.ADMIN_EMAIL;
  resetEnv();
});

let n = 0;
const person = (over: Partial<{ name: string; email: string; password: string; ip: string }> = {}) => {
  n++;
  return { name: `Person ${n}`, email: `person${n}@example.org`, password: "a long enough secret", ip: `10.0.0.${n}`, ...over };
};

describe("sign-up", () => {
  it("makes the first account on an empty wiki an admin and later ones editors", async () => {
    const db = testDb();
    const first = await signUp(db, person());
    const second = await signUp(db, person());
    expect([first.role, second.role]).toEqual(["admin", "editor"]);
    expect(first.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("makes exactly one admin when the first sign-ups race", async () => {
    const db = testDb();
    const created = await Promise.all([1, 2, 3, 4].map(() => signUp(db, person())));
    expect(created.filter((u) => u.role === "admin")).toHaveLength(1);
  });

  it("makes the ADMIN_EMAIL account an admin", async () => {
    const db = testDb();
    await signUp(db, person());
    process.env.ADMIN_EMAIL = "boss@example.org";
    resetEnv();
    const boss = await signUp(db, person({ email: "Boss@Example.org" }));
    expect(boss.role).toBe("admin");
  });

  it("refuses a duplicate email with a clear message, case-insensitively", async () => {
    const db = testDb();
    await signUp(db, person({ email: "same@example.org" }));
    await expect(signUp(db, person({ email: "SAME@example.org" }))).rejects.toMatchObject({
      code: "conflict:user",
      message: "An account with this email already exists. Sign in instead.",
    });
    expect(await db.select().from(users)).toHaveLength(1);
  });

  it("refuses a taken name, reserved names, bad emails and weak or huge passwords, creating nothing", async () => {
    const db = testDb();
    await signUp(db, person({ name: "Howard" }));
    await expect(signUp(db, person({ name: "howard" }))).rejects.toThrow(/name is taken/);
    await expect(signUp(db, person({ name: "Content import" }))).rejects.toThrow(/reserved/);
    await expect(signUp(db, person({ email: "not-an-email" }))).rejects.toThrow(/not an email/);
    await expect(signUp(db, person({ password: "short" }))).rejects.toThrow(/at least 10/);
    await expect(signUp(db, person({ password: "z".repeat(1_000_000) }))).rejects.toThrow(/at most 128/);
    expect(await db.select().from(users)).toHaveLength(1);
  });
});

describe("rate limit counters", () => {
  it("expired ones are cleared, live ones kept", async () => {
    const db = testDb();
    const { clearExpiredLimits } = await import("@/lib/rate-limit");
    const { rateLimits } = await import("@/lib/db/schema");
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await db.insert(rateLimits).values([
      { key: "old", points: 3, expire: hoursAgo(5) },
      { key: "recent", points: 1, expire: hoursAgo(0.5) },
      { key: "live", points: 2, expire: new Date(Date.now() + 60_000) },
    ]);
    expect(await clearExpiredLimits(db)).toBe(1);
    expect((await db.select().from(rateLimits)).map((r) => r.key).sort()).toEqual(["live", "recent"]);
  });
});

describe("sign-in", () => {
  it("accepts the right password and gives the same answer for a wrong password and an unknown email", async () => {
    const db = testDb();
    const p = person();
    await signUp(db, p);
    expect((await verifyCredentials(db, { email: p.email, password: p.password, ip: "1.1.1.1" }))?.email).toBe(p.email);
    expect(await verifyCredentials(db, { email: p.email, password: "wrong wrong wrong", ip: "1.1.1.1" })).toBeNull();
    expect(await verifyCredentials(db, { email: "nobody@example.org", password: "wrong wrong wrong", ip: "1.1.1.1" })).toBeNull();
  });

  it("limits attempts per account exactly, even in parallel, and says when to retry", async () => {
    const db = testDb();
    const p = person();
    await signUp(db, p);
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => verifyCredentials(db, { email: p.email, password: "wrong wrong wrong", ip: `172.16.0.${i}` })),
    );
    const limited = attempts.filter((a) => a.status === "rejected");
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(5);
    expect(limited).toHaveLength(7);
    expect((limited[0] as PromiseRejectedResult).reason).toMatchObject({ code: "rate_limited", details: { retryAfterSeconds: expect.any(Number) } });
    // Even the right password is refused while the account is limited.
    await expect(verifyCredentials(db, { email: p.email, password: p.password, ip: "172.16.1.1" })).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("limits attempts per IP across accounts", async () => {
    const db = testDb();
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) => verifyCredentials(db, { email: `ghost${i}@example.org`, password: "whatever it is", ip: "203.0.113.9" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, "signInIp:203.0.113.9"));
    expect(row?.points).toBe(25);
  });

  it("limits sign-ups per IP", async () => {
    const db = testDb();
    const results = await Promise.allSettled(Array.from({ length: 7 }, () => signUp(db, person({ ip: "198.51.100.7" }))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
  });
});

describe("roles, blocking and profile", () => {
  it("an admin changes roles; an admin cannot demote or block themself", async () => {
    const db = testDb();
    const admin = await signUp(db, person());
    const other = await signUp(db, person());
    expect((await setRole(db, admin.id, other.id, "moderator")).role).toBe("moderator");
    await expect(setRole(db, admin.id, admin.id, "editor")).rejects.toThrow(/your own administrator role/);
    await expect(setBlocked(db, admin.id, admin.id, true)).rejects.toThrow(/block yourself/);
  });

  it("blocking takes effect on the account's tokens at once", async () => {
    const db = testDb();
    const admin = await signUp(db, person());
    const other = await signUp(db, person());
    const { token } = await createApiToken(db, other.id, "bot", "write");
    expect(can(await actorFromToken(db, token), "edit")).toBe(true);
    await setBlocked(db, admin.id, other.id, true);
    expect(await actorFromToken(db, token)).toBeNull();
    await setBlocked(db, admin.id, other.id, false);
    expect(await actorFromToken(db, token)).not.toBeNull();
  });

  it("changes the display name and the password", async () => {
    const db = testDb();
    const p = person();
    const user = await signUp(db, p);
    expect((await changeName(db, user.id, "  New   Name ")).user.name).toBe("New Name");
    await expect(changePassword(db, user.id, "not the password", "another long secret")).rejects.toThrow(/current password is wrong/);
    await changePassword(db, user.id, p.password, "another long secret");
    expect(await verifyCredentials(db, { email: p.email, password: "another long secret", ip: "9.9.9.9" })).not.toBeNull();
  });

  it("limits guesses of the current password, like sign-in", async () => {
    const db = testDb();
    const p = person();
    const user = await signUp(db, p);
    for (let i = 0; i < 4; i++) await expect(changePassword(db, user.id, `wrong guess ${i}`, "another long secret")).rejects.toThrow(/current password is wrong/);
    await changePassword(db, user.id, p.password, "another long secret"); // the fifth attempt, right
    await expect(changePassword(db, user.id, "another long secret", "a third long secret")).rejects.toMatchObject({ code: "rate_limited" });
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, scoped, and revocable", async () => {
    const db = testDb();
    const user = await signUp(db, person());
    const read = await createApiToken(db, user.id, "reader bot", "read");
    expect(read.token).toMatch(/^prop_[A-Za-z0-9_-]{43}$/);
    const listed = await listApiTokens(db, user.id);
    expect(JSON.stringify(listed)).not.toContain(read.token);
    const actor = await actorFromToken(db, read.token);
    expect(actor).toMatchObject({ id: user.id, scope: "read" });
    expect(can(actor, "edit")).toBe(false);
    await revokeApiToken(db, user.id, read.id);
    expect(await actorFromToken(db, read.token)).toBeNull();
    expect(await actorFromToken(db, "prop_forged")).toBeNull();
  });

  it("cannot be revoked by someone else", async () => {
    const db = testDb();
    const a = await signUp(db, person());
    const b = await signUp(db, person());
    const t = await createApiToken(db, a.id, "mine", "write");
    await expect(revokeApiToken(db, b.id, t.id)).rejects.toMatchObject({ code: "not_found:token" });
    expect(await actorFromToken(db, t.token)).not.toBeNull();
  });
});
