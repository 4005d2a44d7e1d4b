import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { passwordProblem, hashPassword, verifyPassword } from "./password";
import { consume, reset } from "@/lib/rate-limit";
import type { Database, Tx } from "@/lib/db/client";
import { accounts, roles, users, type Role, type User } from "@/lib/db/schema";
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
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "A name may use letters, digits, spaces, dots, hyphens and underscores."),
  );
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("That is not an email address."));

/** Whether ADMIN_EMAIL names this (normalised) email. */
function isAdminEmail(email: string): boolean {
  return env().ADMIN_EMAIL?.includes(email) ?? false;
}

/** Display names no person may take. */
const RESERVED = new Set(["content import", "anonymous", "system", "admin"]);

function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint_name?: string; cause?: { code?: string; constraint_name?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (code !== "23505") return null;
  return e?.constraint_name ?? e?.cause?.constraint_name ?? "unique";
}

/**
 * Create an account with email and password. The first person on an empty
 * wiki, or the one with ADMIN_EMAIL, becomes an administrator; everyone else
 * an editor. Sign-ups are rate-limited per IP.
 */
export async function signUp(db: Database, input: { name: string; email: string; password: string; ip: string }): Promise<User> {
  const name = nameSchema.safeParse(input.name);
  if (!name.success) throw new AppError("invalid:input", name.error.issues[0]!.message);
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new AppError("invalid:input", email.error.issues[0]!.message);
  if (RESERVED.has(name.data.toLowerCase())) throw new AppError("invalid:input", "That name is reserved; choose another.");
  const problem = passwordProblem(input.password, { email: email.data, name: name.data });
  if (problem) throw new AppError("invalid:input", problem);
  const limit = await consume(db, "signUpIp", input.ip);
  if (!limit.ok) throw new AppError("rate_limited", "Too many sign-ups from your network; try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      // Serialise sign-ups so that only one account can be "the first".
      await tx.execute(sql`select pg_advisory_xact_lock(4242001)`);
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.isSystem, false)).limit(1);
      const role: Role = !existing || isAdminEmail(email.data) ? "admin" : "editor";
      const [user] = await tx.insert(users).values({ name: name.data, email: email.data, passwordHash, role }).returning();
      return user!;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes("email")) throw new AppError("conflict:user", "An account with this email already exists. Sign in instead.");
    if (constraint) throw new AppError("conflict:user", "That name is taken; choose another.");
    throw error;
  }
}

/**
 * Check an email and password. Unknown emails and wrong passwords take the
 * same time and give the same answer (null). Rate-limited per account and per IP.
 */
export async function verifyCredentials(db: Database, input: { email: string; password: string; ip: string }): Promise<User | null> {
  const email = emailSchema.safeParse(input.email);
  const key = email.success ? email.data : input.email.slice(0, 254).toLowerCase();
  const [byAccount, byIp] = await Promise.all([consume(db, "signInAccount", key), consume(db, "signInIp", input.ip)]);
  if (!byAccount.ok || !byIp.ok) {
    throw new AppError("rate_limited", "Too many sign-in attempts; wait a few minutes and try again.", {
      retryAfterSeconds: Math.max(byAccount.ok ? 0 : byAccount.retryAfterSeconds, byIp.ok ? 0 : byIp.retryAfterSeconds),
    });
  }
  const [user] = email.success ? await db.select().from(users).where(sql`lower(${users.email}) = ${email.data}`) : [];
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!ok || !user || user.isSystem) return null;
  await reset(db, "signInAccount", key);
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
    // ADMIN_EMAIL promotes only an email the provider verified and nobody here already has:
    // otherwise anyone whose identity provider lets them claim the address would become an administrator.
    const adminByEmail = email?.success === true && input.emailVerified === true && !emailTaken && isAdminEmail(email.data);
    const role: Role = !existing || adminByEmail ? "admin" : "editor";
    const [user] = await tx
      .insert(users)
      .values({ name, email: email?.success && !emailTaken ? email.data : null, image: input.image ?? null, role })
      .returning();
    await tx.insert(accounts).values({ userId: user!.id, type: input.type, provider: input.provider, providerAccountId: input.providerAccountId });
    return user!;
  });
}

async function freeName(db: Database, wanted: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const candidate = i === 0 ? wanted : `${wanted} ${i + 1}`;
    const [taken] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.name}) = lower(${candidate})`);
    if (!taken && !RESERVED.has(candidate.toLowerCase())) return candidate;
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
  if (RESERVED.has(name.data.toLowerCase())) throw new AppError("invalid:input", "That name is reserved; choose another.");
  try {
    const before = await getUserById(db, userId);
    const [user] = await db.update(users).set({ name: name.data }).where(eq(users.id, userId)).returning();
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
    const limit = await consume(db, "signInAccount", `change:${userId}`);
    if (!limit.ok) throw new AppError("rate_limited", "Too many attempts; try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
    if (!(await verifyPassword(user.passwordHash, current))) throw new AppError("invalid:input", "The current password is wrong.");
  }
  const problem = passwordProblem(next, { email: user.email ?? undefined, name: user.name });
  if (problem) throw new AppError("invalid:input", problem);
  // Every session signed in with the old password ends (they carry the old epoch).
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(next), sessionEpoch: sql`${users.sessionEpoch} + 1` })
    .where(eq(users.id, userId));
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
    const [user] = await db.insert(users).values({ name: name.data, email: email.data, role: input.role, passwordHash }).returning();
    return user!;
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes("email")) throw new AppError("conflict:user", "An account with this email already exists.");
    if (constraint) throw new AppError("conflict:user", "That name is taken.");
    throw error;
  }
}
