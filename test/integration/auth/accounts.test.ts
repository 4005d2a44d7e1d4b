import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { can } from "@/lib/auth/policy";
import { actorFromToken, createApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/tokens";
import { apiTokens, rateLimits, sessions, signInFailures, users } from "@/lib/db/schema";
import { createSession, endSession, listSessions, sessionHandle, sessionUser } from "@/lib/auth/sessions";
import { endAllSessionsCommand, endSessionCommand } from "@/lib/commands/users/sessions";
import { signUpCommand } from "@/lib/commands/users/sign-up";
import { backoffSeconds, limits, signInBackoff } from "@/lib/rate-limit";
import { actorOf, run } from "../../support/commands";
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

  it("does not make an ADMIN_EMAIL account an admin at sign-up: only its verified address does (test/integration/mail)", async () => {
    const db = testDb();
    await signUp(db, person());
    process.env.ADMIN_EMAIL = "boss@example.org";
    resetEnv();
    const boss = await signUp(db, person({ email: "Boss@Example.org" }));
    expect(boss.role).toBe("editor");
  });

  it("answers a known email exactly like a new one through the command, creating nothing for the known one (no enumeration)", async () => {
    const db = testDb();
    const anonymous = { ip: "192.0.2.50" };
    const first = person({ email: "new@example.org" });
    const fresh = await run(db, signUpCommand, null, first, anonymous);
    const known = await run(db, signUpCommand, null, person({ email: "NEW@example.org" }), anonymous);
    expect(known).toEqual(fresh);
    expect(await db.select().from(users)).toHaveLength(1);
    // A name that is taken is refused whatever the email: names are public, emails are not.
    await expect(run(db, signUpCommand, null, person({ name: first.name, email: "new@example.org" }), anonymous)).rejects.toMatchObject({ code: "conflict:user" });
    await expect(run(db, signUpCommand, null, person({ name: first.name, email: "other@example.org" }), anonymous)).rejects.toMatchObject({ code: "conflict:user" });
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

  it("backs off one (account, IP) pair exponentially after its failures, and says when to retry", async () => {
    const db = testDb();
    const p = person();
    await signUp(db, p);
    const attacker = "172.16.0.9";
    for (let i = 0; i < signInBackoff.free; i++) expect(await verifyCredentials(db, { email: p.email, password: "wrong wrong wrong", ip: attacker })).toBeNull();
    await expect(verifyCredentials(db, { email: p.email, password: "wrong wrong wrong", ip: attacker })).rejects.toMatchObject({
      code: "rate_limited",
      details: { retryAfterSeconds: 1 },
    });
    const [pair] = await db.select().from(signInFailures);
    expect(pair?.failures).toBe(signInBackoff.free);
    expect([1, 2, 3, 4, 10, 13, 40].map(backoffSeconds)).toEqual([0, 0, 1, 2, 128, 900, 900]);
  });

  it("never locks the owner out: someone else's failures do not refuse the right password from another address", async () => {
    const db = testDb();
    const p = person();
    await signUp(db, p);
    // Dozens of guesses from many addresses (each pair is slowed, none reaches the owner)…
    await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => verifyCredentials(db, { email: p.email, password: "wrong wrong wrong", ip: `172.16.${i % 4}.${i}` })),
    );
    // …and the owner, from their own address, signs in at once.
    expect((await verifyCredentials(db, { email: p.email, password: p.password, ip: "198.51.100.20" }))?.id).toBeDefined();
  });

  it("never counts successful sign-ins: a workshop behind one address signs in as often as it likes", async () => {
    const db = testDb();
    const people = Array.from({ length: 5 }, () => person());
    for (const q of people) await signUp(db, q);
    for (let round = 0; round < 10; round++) {
      for (const q of people) expect((await verifyCredentials(db, { email: q.email, password: q.password, ip: "203.0.113.50" }))?.email).toBe(q.email);
    }
    expect(await db.select().from(rateLimits).where(eq(rateLimits.key, "signInFailuresIp:203.0.113.50"))).toHaveLength(0);
  });

  it("limits failed sign-ins per IP across accounts", async () => {
    const db = testDb();
    const results = await Promise.allSettled(
      Array.from({ length: 55 }, (_, i) => verifyCredentials(db, { email: `ghost${i}@example.org`, password: "whatever it is", ip: "203.0.113.9" })),
    );
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(limits.signInFailuresIp.points);
    await expect(verifyCredentials(db, { email: "ghost0@example.org", password: "whatever it is", ip: "203.0.113.9" })).rejects.toMatchObject({ code: "rate_limited" });
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
    await expect(actorFromToken(db, token)).rejects.toMatchObject({ code: "forbidden:account", status: 403, message: expect.stringMatching(/This account is blocked/) });
    // A block revokes the tokens for good: unblocking does not bring them back.
    await setBlocked(db, admin.id, other.id, false);
    expect(await actorFromToken(db, token)).toBeNull();
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

describe("API token lifetimes", () => {
  it("expire after the days chosen (90 by default), with a 401 that says so", async () => {
    const db = testDb();
    const user = await signUp(db, person());
    const plain = await createApiToken(db, user.id, "default", "read");
    const days = (plain.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    const short = await createApiToken(db, user.id, "short", "read", 1);
    await db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, short.id));
    await expect(actorFromToken(db, short.token)).rejects.toMatchObject({ code: "unauthorized", status: 401, message: expect.stringMatching(/expired/) });
    await expect(createApiToken(db, user.id, "forever", "read", 10_000)).rejects.toMatchObject({ code: "invalid:input" });
  });

  it("are revoked by a password change, and record when they were last used", async () => {
    const db = testDb();
    const p = person();
    const user = await signUp(db, p);
    const t = await createApiToken(db, user.id, "bot", "write");
    expect((await listApiTokens(db, user.id))[0]?.lastUsedAt).toBeNull();
    expect(await actorFromToken(db, t.token)).not.toBeNull();
    expect((await listApiTokens(db, user.id))[0]?.lastUsedAt).toBeInstanceOf(Date);
    await changePassword(db, user.id, p.password, "another long secret");
    expect(await actorFromToken(db, t.token)).toBeNull();
  });
});

describe("sessions", () => {
  it("end at sign-out, at 'sign out everywhere' and at a password change; a block keeps them, marked blocked", async () => {
    const db = testDb();
    const p = person();
    const admin = await signUp(db, person());
    const user = await signUp(db, p);
    const a = await createSession(db, user.id, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
    const b = await createSession(db, user.id, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1");
    expect((await sessionUser(db, a))?.id).toBe(user.id);
    expect((await listSessions(db, user.id)).map((s) => s.device).sort()).toEqual(["Firefox on Linux", "Safari on iOS"]);
    await endSession(db, a);
    expect(await sessionUser(db, a)).toBeNull();
    expect(await sessionUser(db, b)).not.toBeNull();
    await run(db, endAllSessionsCommand, actorOf(user), {});
    expect(await sessionUser(db, b)).toBeNull();
    const c = await createSession(db, user.id, "");
    await changePassword(db, user.id, p.password, "another long secret");
    expect(await sessionUser(db, c)).toBeNull();
    const d = await createSession(db, user.id, "");
    await setBlocked(db, admin.id, user.id, true);
    expect((await sessionUser(db, d))?.blockedAt).toBeInstanceOf(Date);
  });

  it("one session is ended by its handle, only by its owner; last seen is written at most once a minute", async () => {
    const db = testDb();
    const user = await signUp(db, person());
    const other = await signUp(db, person());
    const sid = await createSession(db, user.id, "curl/8");
    await expect(run(db, endSessionCommand, actorOf(other), { session: sessionHandle(sid) })).rejects.toMatchObject({ code: "invalid:input" });
    const [before] = await db.select().from(sessions);
    await sessionUser(db, sid);
    const [after] = await db.select().from(sessions);
    expect(after?.lastSeenAt.getTime()).toBe(before?.lastSeenAt.getTime());
    await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 120_000) }).where(eq(sessions.userId, user.id));
    await sessionUser(db, sid);
    const [moved] = await db.select().from(sessions);
    expect(Date.now() - moved!.lastSeenAt.getTime()).toBeLessThan(30_000);
    await run(db, endSessionCommand, actorOf(user), { session: sessionHandle(sid) });
    expect(await sessionUser(db, sid)).toBeNull();
  });
});

describe("names that look alike", () => {
  it("refuse invisible and direction-changing characters and mixed scripts", async () => {
    const db = testDb();
    for (const name of ["Ada\u200bLovelace", "Ada\u00adLovelace", "Ada\u202eLovelace", "Mоddy", "Аdmin"]) {
      await expect(signUp(db, person({ name }))).rejects.toMatchObject({ code: "invalid:input" });
    }
    expect(await db.select().from(users)).toHaveLength(0);
    expect((await signUp(db, person({ name: "Zoë" }))).name).toBe("Zoë");
    expect((await signUp(db, person({ name: "Дмитрий" }))).name).toBe("Дмитрий");
  });

  it("refuse a name whose skeleton is another user's, naming and linking that user", async () => {
    const db = testDb();
    await signUp(db, person({ name: "Moddy" }));
    // All-Cyrillic lookalike of a Latin name: one script, so only the skeleton catches it.
    await signUp(db, person({ name: "Ѕкуре" }));
    await expect(signUp(db, person({ name: "Ѕкуре" }))).rejects.toMatchObject({ code: "conflict:user" });
    await expect(signUp(db, person({ name: "M0ddy" }))).rejects.toMatchObject({ code: "conflict:user", message: expect.stringContaining("/users/Moddy") });
    await expect(signUp(db, person({ name: "rnoddy" }))).rejects.toMatchObject({ code: "conflict:user" });
  });
});
