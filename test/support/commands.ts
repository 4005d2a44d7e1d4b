import type { Actor } from "@/lib/auth/policy";
import type { Command, CommandContext } from "@/lib/commands/command";
import type { Database } from "@/lib/db/client";
import type { Role, User } from "@/lib/db/schema";
import type { z } from "zod";

/** A user as the actor of a command (optionally with another role). */
export function actorOf(user: User, role: Role = user.role): NonNullable<Actor> {
  return { id: user.id, name: user.name, role, blocked: user.blockedAt !== null };
}

/** The context a transport would build: here, a form from a test address. */
export function contextFor(db: Database, actor: Actor, overrides: Partial<CommandContext> = {}): CommandContext {
  return { db, actor, ip: "192.0.2.1", via: "form", siteOrigin: "http://wiki.example", ...overrides };
}

/** Run a command as a transport does (parse, run, publish its events) and return its result. */
export async function run<S extends z.ZodType, R>(db: Database, command: Command<S, R>, actor: Actor, input: unknown, overrides: Partial<CommandContext> = {}): Promise<R> {
  return (await command.execute(contextFor(db, actor, overrides), input)).result;
}
