import "server-only";
import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { passwordProblem, hashPassword, verifyPassword } from "./password";
import { consumeEmailToken, emailTokenValid, hashEmailToken } from "./email-tokens";
import { clearSignInFailures, consume, pairMayTry, peek, recordSignInFailure } from "@/lib/rate-limit";
import { codePointName, findInvisible } from "@/lib/text";
import { caselessSkeleton, isMixedScript } from "@/lib/wikitext/confusables";
import type { Database, Tx } from "@/lib/db/client";
import { accounts, apiTokens, emailTokens, roles, sessions, users, type Role, type User } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** The roles an administrator can give, lowest first. */
export { roles };

export const nameSchema = z
  .string()
  .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(2, "A name needs at least 2 characters.")
      .max(40, "A name can be at most 40 characters.")
      .superRefine((name, ctx) => {
        const invisible = findInvisible(name);
        if (invisible) {
          ctx.addIssue({ code: "custom", message: `A name cannot contain invisible or direction-changing characters (${codePointName(invisible.codePoint)} at position ${invisible.index + 1}).`, abort: true });
        } else if (isMixedScript(name)) {
          ctx.addIssue({ code: "custom", message: "A name cannot mix scripts whose letters look alike (such as Latin with Cyrillic or Greek).", abort: true });
        }
      })
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "A name may use letters, digits, spaces, dots, hyphens and underscores."),
  );
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("That is not an email address."));

/** Whether ADMIN_EMAIL names this (normalised) email. It promotes only a verified address (verifyEmail, or an OIDC issuer's word). */
function isAdminEmail(email: string): boolean {
  return env().ADMIN_EMAIL?.includes(email) ?? false;
}

/** Display names no person may take (nor any name that looks like one). */
const RESERVED = new Set(["content import", "anonymous", "system", "admin"]);
const RESERVED_SKELETONS = new Set([...RESERVED].map(caselessSkeleton));

function isReserved(name: string): boolean {
  return RESERVED.has(name.toLowerCase()) || RESERVED_SKELETONS.has(caselessSkeleton(name));
}

/**
 * Refuse a name that is taken or looks like one that is (the same UTS #39
 * skeleton, compared without case): one indexed lookup on users_name_skeleton_idx.
 * Returns the skeleton to store with the name.
 */
export async function assertNameFree(db: Database | Tx, name: string, exceptUserId?: string): Promise<string> {
  const wanted = caselessSkeleton(name);
  const [other] = await db
    .select({ name: users.name })
    .from(users)
    .where(and(sql`(${users.nameSkeleton} = ${wanted} or lower(${users.name}) = lower(${name}))`, exceptUserId ? ne(users.id, exceptUserId) : undefined))
    .limit(1);
  if (!other) return wanted;
  if (other.name.toLowerCase() === name.toLowerCase()) throw new AppError("conflict:user", "That name is taken; choose another.");
  throw new AppError("conflict:user", `"${name}" looks like the existing user "${other.name}" (/users/${encodeURIComponent(other.name)}); choose a name that looks different.`, {
    existing: { name: other.name, path: `/users/${encodeURIComponent(other.name)}` },
  });
}

function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint_name?: string; cause?: { code?: string; constraint_name?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (code !== "23505") return null;
  return e?.constraint_name ?? e?.cause?.constraint_name ?? "unique";
}

/** What sign-up did; the caller shows the same answer for both, so nobody learns whether an email is registered. */
export type SignUpOutcome = { created: true; user: User } | { created: false; existingUserId: string };

/** What a sign-up's transaction also writes: the verification mail of a new account, or the note to a known address's owner. */
export type SignUpMail = (tx: Tx, outcome: { created: true; user: User } | { created: false; existing: User }) => Promise<void>;

/**
 * Create an account with email and password. The first person on an empty
 * wiki becomes an administrator; everyone else an editor (an ADMIN_EMAIL
 * address becomes one once it is verified: verifyEmail). The address is
 * unverified until its mailed link is followed. Sign-ups are rate-limited per IP.
 *
 * An email that already has an account creates nothing and returns
 * `created: false`; every check that depends only on what was typed (name
 * taken, password strength, the rate limit) and the password hash run first
 * and alike for both, so the answer and its timing do not tell the two apart.
 */
export async function registerAccount(db: Database, input: { name: string; email: string; password: string; ip: string }, mail?: SignUpMail): Promise<SignUpOutcome> {
  const name = nameSchema.safeParse(input.name);
  if (!name.success) throw new AppError("invalid:input", name.error.issues[0]!.message);
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new AppError("invalid:input", email.error.issues[0]!.message);
  if (isReserved(name.data)) throw new AppError("invalid:input", "That name is reserved; choose another.");
  const problem = passwordProblem(input.password, { email: email.data, name: name.data });
  if (problem) throw new AppError("invalid:input", problem);
  const limit = await consume(db, "signUpIp", input.ip);
  if (!limit.ok) throw new AppError("rate_limited", "Too many sign-ups from your network; try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
  // Hashed whether or not the account will be created: the time taken must not say which.
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx): Promise<SignUpOutcome> => {
      // Serialise sign-ups so that only one account can be "the first".
      await tx.execute(sql`select pg_advisory_xact_lock(4242001)`);
      // The name first: whether it is free is public (names are shown), whether the email is known is not.
      const skeleton = await assertNameFree(tx, name.data);
      const [known] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email.data}`);
      if (known) {
        await mail?.(tx, { created: false, existing: known });
        return { created: false, existingUserId: known.id };
      }
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.isSystem, false)).limit(1);
      const role: Role = !existing ? "admin" : "editor";
      const [user] = await tx.insert(users).values({ name: name.data, nameSkeleton: skeleton, email: email.data, passwordHash, role }).returning();
      await mail?.(tx, { created: true, user: user! });
      return { created: true, user: user! };
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    // A sign-up with the same email that landed meanwhile: the same answer as a known email.
    if (constraint?.includes("email")) {
      const known = await getUserByEmail(db, email.data);
      if (known) return { created: false, existingUserId: known.id };
    }
    if (constraint) throw new AppError("conflict:user", "That name is taken; choose another.");
    throw error;
  }
}

/** registerAccount for callers that may know the outcome (tests, tools): the new user, or a conflict for a known email. */
export async function signUp(db: Database, input: { name: string; email: string; password: string; ip: string }): Promise<User> {
  const outcome = await registerAccount(db, input);
  if (!outcome.created) throw new AppError("conflict:user", "An account with this email already exists.");
  return outcome.user;
}

/**
 * Check an email and password. Unknown emails and wrong passwords take the
 * same time and give the same answer (null). Throttled so that it cannot be
 * turned against the account's owner (docs/security.md): a failure slows down
 * only its own (account, IP address) pair, exponentially; failures per IP
 * address are limited; successes are never counted.
 */
export async function verifyCredentials(db: Database, input: { email: string; password: string; ip: string }): Promise<User | null> {
  const email = emailSchema.safeParse(input.email);
  const key = email.success ? email.data : input.email.slice(0, 254).toLowerCase();
  const [pair, byIp] = await Promise.all([pairMayTry(db, key, input.ip), peek(db, "signInFailuresIp", input.ip)]);
  if (!pair.ok || !byIp.ok) {
    throw new AppError("rate_limited", "Too many failed sign-in attempts from your network; wait a little and try again.", {
      retryAfterSeconds: Math.max(pair.ok ? 0 : pair.retryAfterSeconds, byIp.ok ? 0 : byIp.retryAfterSeconds),
    });
  }
  const [user] = email.success ? await db.select().from(users).where(sql`lower(${users.email}) = ${email.data}`) : [];
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!ok || !user || user.isSystem) {
    await recordSignInFailure(db, key, input.ip);
    return null;
  }
  await clearSignInFailures(db, key, input.ip);
  return user;
}

/**
 * The user for an OAuth/OIDC sign-in: the linked account's user, else a new
 * editor (or admin, as in signUp). Accounts are linked by provider id only,
 * never by matching an unverified email.
 */
export async function userForOAuth(
  db: Database,
  input: {
    provider: string;
    providerAccountId: string;
    type: string;
    name?: string | null;
    email?: string | null;
    image?: string | null;
    /** The provider vouches that this email belongs to the person (OIDC `email_verified`). */
    emailVerified?: boolean;
  },
): Promise<User> {
  const [linked] = await db
    .select({ user: users })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, input.provider), eq(accounts.providerAccountId, input.providerAccountId)));
  if (linked) return linked.user;
  try {
    return await createOAuthUser(db, input);
  } catch (error) {
    // Two first sign-ins with the same account at once: the other one linked it; use that.
    if (!uniqueViolation(error)) throw error;
    const [again] = await db
      .select({ user: users })
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.userId))
      .where(and(eq(accounts.provider, input.provider), eq(accounts.providerAccountId, input.providerAccountId)));
    if (!again) throw error;
    return again.user;
  }
}

async function createOAuthUser(db: Database, input: Parameters<typeof userForOAuth>[1]): Promise<User> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4242001)`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.isSystem, false)).limit(1);
    const email = input.email ? emailSchema.safeParse(input.email) : null;
    const [emailTaken] = email?.success ? await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.data}`) : [];
    const base = nameSchema.safeParse(input.name ?? "");
    const name = await freeName(tx as unknown as Database, base.success ? base.data : `${input.provider} user`);
    const nameSkeleton = caselessSkeleton(name);
    // ADMIN_EMAIL promotes only an email the provider verified and nobody here already has:
    // otherwise anyone whose identity provider lets them claim the address would become an administrator.
    const adminByEmail = email?.success === true && input.emailVerified === true && !emailTaken && isAdminEmail(email.data);
    const role: Role = !existing || adminByEmail ? "admin" : "editor";
    const [user] = await tx
      .insert(users)
      .values({
        name,
        nameSkeleton,
        email: email?.success && !emailTaken ? email.data : null,
        emailVerified: email?.success && !emailTaken && input.emailVerified === true ? new Date() : null,
        image: input.image ?? null,
        role,
      })
      .returning();
    await tx.insert(accounts).values({ userId: user!.id, type: input.type, provider: input.provider, providerAccountId: input.providerAccountId });
    return user!;
  });
}

async function freeName(db: Database, wanted: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const candidate = i === 0 ? wanted : `${wanted} ${i + 1}`;
    const [taken] = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.name}) = lower(${candidate}) or ${users.nameSkeleton} = ${caselessSkeleton(candidate)}`);
    if (!taken && !isReserved(candidate)) return candidate;
  }
  return `${wanted} ${Date.now()}`;
}

/** A user by id (the source of truth for role and blocked state on every request). */
export async function getUserById(db: Database, id: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user ?? null;
}

/** Change one's display name. */
export async function changeName(db: Database, userId: string, raw: string): Promise<{ user: User; renamed: boolean }> {
  const name = nameSchema.safeParse(raw);
  if (!name.success) throw new AppError("invalid:input", name.error.issues[0]!.message);
  if (isReserved(name.data)) throw new AppError("invalid:input", "That name is reserved; choose another.");
  try {
    const before = await getUserById(db, userId);
    const nameSkeleton = await assertNameFree(db, name.data, userId);
    const [user] = await db.update(users).set({ name: name.data, nameSkeleton }).where(eq(users.id, userId)).returning();
    if (!user) throw new AppError("not_found:user", "No such user.");
    return { user, renamed: before !== null && before.name !== user.name };
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError("conflict:user", "That name is taken; choose another.");
    throw error;
  }
}

/** Change one's password, given the current one (not needed for accounts that have none yet). */
export async function changePassword(db: Database, userId: string, current: string, next: string): Promise<void> {
  const user = await getUserById(db, userId);
  if (!user) throw new AppError("not_found:user", "No such user.");
  if (user.passwordHash) {
    // The same budget as signing in: a stolen session must not become a way to guess the password.
    const limit = await consume(db, "passwordChangeUser", userId);
    if (!limit.ok) throw new AppError("rate_limited", "Too many attempts; try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
    if (!(await verifyPassword(user.passwordHash, current))) throw new AppError("invalid:input", "The current password is wrong.");
  }
  const problem = passwordProblem(next, { email: user.email ?? undefined, name: user.name });
  if (problem) throw new AppError("invalid:input", problem);
  const passwordHash = await hashPassword(next);
  await db.transaction((tx) => replacePassword(tx, userId, passwordHash));
}

/** A new password: every session signed in with the old one ends (the rows go, and they carry the old epoch), and so does every API token. */
async function replacePassword(tx: Tx, userId: string, passwordHash: string): Promise<void> {
  await tx.update(users).set({ passwordHash, sessionEpoch: sql`${users.sessionEpoch} + 1` }).where(eq(users.id, userId));
  await endAllSessions(tx, userId);
  await revokeAllApiTokens(tx, userId);
}

/**
 * Set a new password with a mailed reset token (one hour, once). Ends every
 * session and revokes every API token; the link proved the address, so an
 * unverified one that still is the account's becomes verified.
 */
export async function resetPasswordWithToken(db: Database, raw: string, next: string, now: Date): Promise<User> {
  // Check the password before using the token: a too-weak password must not burn the link.
  if (!(await emailTokenValid(db, raw, "reset-password", now))) throw new AppError("invalid:input", "This reset link has expired or was already used. Ask for a new one.");
  const [holder] = await db.select({ user: users }).from(emailTokens).innerJoin(users, eq(users.id, emailTokens.userId)).where(eq(emailTokens.tokenHash, hashEmailToken(raw)));
  const problem = passwordProblem(next, { email: holder?.user.email ?? undefined, name: holder?.user.name });
  if (problem) throw new AppError("invalid:input", problem, { field: "password" });
  const passwordHash = await hashPassword(next);
  return db.transaction(async (tx) => {
    const token = await consumeEmailToken(tx, raw, "reset-password", now);
    if (!token) throw new AppError("invalid:input", "This reset link has expired or was already used. Ask for a new one.");
    await replacePassword(tx, token.userId, passwordHash);
    const [user] = await tx
      .update(users)
      .set({ emailVerified: sql`coalesce(${users.emailVerified}, case when lower(${users.email}) = ${token.email} then ${now.toISOString()}::timestamptz end)` })
      .where(eq(users.id, token.userId))
      .returning();
    return user!;
  });
}

/**
 * Follow a mailed verification link: the address it names becomes the
 * account's verified address (a changed address replaces the old one now).
 * An ADMIN_EMAIL address makes its account an administrator, now that it is
 * proven. Returns the user, or refuses an expired, used or stale link.
 */
export async function verifyEmail(db: Database, raw: string, now: Date): Promise<{ user: User; promoted: boolean }> {
  try {
    return await db.transaction(async (tx) => {
      const token = await consumeEmailToken(tx, raw, "verify-email", now);
      if (!token) throw new AppError("invalid:input", "This confirmation link has expired or was already used. Ask for a new one on your profile.");
      const [user] = await tx.select().from(users).where(eq(users.id, token.userId)).for("update");
      if (!user) throw new AppError("not_found:user", "No such user.");
      const current = user.email?.toLowerCase() === token.email;
      const pending = user.pendingEmail?.toLowerCase() === token.email;
      if (!current && !pending) throw new AppError("invalid:input", "This link is for an address your account no longer uses.");
      const promoted = !user.isSystem && user.role !== "admin" && isAdminEmail(token.email);
      const [updated] = await tx
        .update(users)
        .set({ email: token.email, pendingEmail: pending ? null : user.pendingEmail, emailVerified: now, ...(promoted ? { role: "admin" as const } : {}) })
        .where(eq(users.id, user.id))
        .returning();
      return { user: updated!, promoted };
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError("conflict:user", "Another account uses this address now; nothing was changed.");
    throw error;
  }
}

/** End every session of a user (the next request of each is anonymous). */
async function endAllSessions(db: Database | Tx, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Revoke every API token of a user. */
async function revokeAllApiTokens(db: Database | Tx, userId: string): Promise<void> {
  await db.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

/** Set a user's role (administrators; the caller checks the policy). An admin cannot demote themself. */
export async function setRole(db: Database, actorId: string, userId: string, role: Role): Promise<User> {
  if (!roles.includes(role)) throw new AppError("invalid:input", `A role is one of ${roles.join(", ")}.`);
  if (actorId === userId && role !== "admin") throw new AppError("invalid:input", "You cannot remove your own administrator role.");
  const [user] = await db.update(users).set({ role }).where(and(eq(users.id, userId), eq(users.isSystem, false))).returning();
  if (!user) throw new AppError("not_found:user", "No such user.");
  return user;
}

/** Block or unblock a user; a blocked user's next request is refused. */
export async function setBlocked(db: Database | Tx, actorId: string, userId: string, blocked: boolean): Promise<User> {
  if (actorId === userId) throw new AppError("invalid:input", "You cannot block yourself.");
  const [user] = await db
    .update(users)
    .set({ blockedAt: blocked ? sql`now()` : null })
    .where(and(eq(users.id, userId), eq(users.isSystem, false)))
    .returning();
  if (!user) throw new AppError("not_found:user", "No such user.");
  // A block revokes every token (unblocking does not restore them). Sessions stay, so the person's
  // next request is refused with the reason ("Your account is blocked.") rather than as a stranger's.
  if (blocked) await revokeAllApiTokens(db, userId);
  return user;
}

/** Everyone but system accounts, for the admin page. */
export async function listUsers(db: Database) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, blockedAt: users.blockedAt, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.isSystem, false), ne(users.name, "")))
    .orderBy(asc(users.createdAt));
}

/** A user by email. */
export async function getUserByEmail(db: Database, raw: string): Promise<User | null> {
  const email = emailSchema.safeParse(raw);
  if (!email.success) return null;
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.data}`);
  return user ?? null;
}

/**
 * Create an account from the operator's command line: any role, password
 * optional (such an account signs in with OAuth or gets a password later).
 */
export async function createUserAsOperator(db: Database, input: { name: string; email: string; role: Role; password?: string }): Promise<User> {
  const name = nameSchema.safeParse(input.name);
  if (!name.success) throw new AppError("invalid:input", name.error.issues[0]!.message);
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new AppError("invalid:input", email.error.issues[0]!.message);
  if (!roles.includes(input.role)) throw new AppError("invalid:input", `A role is one of ${roles.join(", ")}.`);
  let passwordHash: string | null = null;
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, { email: email.data, name: name.data });
    if (problem) throw new AppError("invalid:input", problem);
    passwordHash = await hashPassword(input.password);
  }
  try {
    const nameSkeleton = await assertNameFree(db, name.data);
    const [user] = await db.insert(users).values({ name: name.data, nameSkeleton, email: email.data, role: input.role, passwordHash }).returning();
    return user!;
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes("email")) throw new AppError("conflict:user", "An account with this email already exists.");
    if (constraint) throw new AppError("conflict:user", "That name is taken.");
    throw error;
  }
}

/**
 * Ask to move an account to another address: it waits in `pending_email`
 * until its mailed link is followed (the old address stays the account's
 * until then). The current password is asked for when the account has one, so
 * a borrowed session cannot move the account away. `mail` writes the mail in
 * the same transaction: a link to the new address, or (when another account
 * has it) a note to that account's owner; the answer is the same.
 */
export async function startEmailChange(
  db: Database,
  input: { userId: string; email: string; password: string },
  mail: (tx: Tx, outcome: { free: true; user: User; email: string } | { free: false; owner: User }) => Promise<void>,
): Promise<{ email: string }> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new AppError("invalid:input", email.error.issues[0]!.message, { field: "email" });
  const user = await getUserById(db, input.userId);
  if (!user) throw new AppError("not_found:user", "No such user.");
  // Every try counts, with a password or not: each one mails someone.
  const limit = await consume(db, "passwordChangeUser", user.id);
  if (!limit.ok) throw new AppError("rate_limited", "Too many attempts; try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
  if (user.passwordHash && !(await verifyPassword(user.passwordHash, input.password))) throw new AppError("invalid:input", "The current password is wrong.", { field: "password" });
  if (user.email?.toLowerCase() === email.data && user.emailVerified) throw new AppError("invalid:input", "That is already your address.", { field: "email" });
  await db.transaction(async (tx) => {
    const [owner] = await tx.select().from(users).where(and(sql`lower(${users.email}) = ${email.data}`, ne(users.id, user.id)));
    if (owner) return mail(tx, { free: false, owner });
    const [updated] = await tx
      .update(users)
      .set({ pendingEmail: user.email?.toLowerCase() === email.data ? null : email.data })
      .where(eq(users.id, user.id))
      .returning();
    await mail(tx, { free: true, user: updated!, email: email.data });
  });
  return { email: email.data };
}
