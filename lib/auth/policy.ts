import type { Role } from "@/lib/db/schema/users";
import { AppError } from "@/lib/errors";

/** The signed-in person (or tool) asking; null for an anonymous reader. */
export type Actor = { id: string; name: string; role: Role; blocked: boolean; scope?: "read" | "write" } | null;

export const actions = ["read", "edit", "protect", "rate", "post", "moderate", "administer"] as const;
export type Action = (typeof actions)[number];

/** What an action is about, where that matters. */
export type Subject = {
  page?: { protection: "none" | "moderators"; deleted: boolean };
  /** Whether guests may post on talk pages (a wiki setting). */
  guestPosting?: boolean;
};

const rank: Record<Role, number> = { reader: 0, editor: 1, moderator: 2, admin: 3 };

/** Whether `role` is at least `minimum`. */
export function atLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

/**
 * The one policy: may this actor do this action on this subject? Every server
 * action and route handler asks it. A blocked actor may only read; a read-only
 * API token may only read.
 */
export function can(actor: Actor, action: Action, subject: Subject = {}): boolean {
  if (action === "read") {
    if (subject.page?.deleted) return actor !== null && !actor.blocked && atLeast(actor.role, "moderator");
    return true;
  }
  if (actor === null) return action === "post" && subject.guestPosting === true;
  if (actor.blocked) return false;
  if (actor.scope === "read") return false;
  switch (action) {
    case "edit":
      if (subject.page?.deleted) return false;
      return atLeast(actor.role, subject.page?.protection === "moderators" ? "moderator" : "editor");
    case "rate":
    case "post":
      return true;
    case "protect":
    case "moderate":
      return atLeast(actor.role, "moderator");
    case "administer":
      return atLeast(actor.role, "admin");
  }
}

/** The reason a refusal gives, in words a person understands. */
export function refusal(actor: Actor, action: Action, subject: Subject = {}): string {
  if (actor === null) return "Please sign in first.";
  if (actor.blocked) return "Your account is blocked.";
  if (actor.scope === "read") return "This API token is read-only.";
  if (action === "edit" && subject.page?.protection === "moderators") return "This page is protected: only moderators may edit it.";
  if (action === "edit") return "Your account may not edit pages.";
  if (action === "administer") return "Only administrators may do this.";
  return "Only moderators may do this.";
}

/**
 * Refuse unless `can(actor, action, subject)`: 401 for an anonymous caller
 * (signing in may help), 403 otherwise, with the reason in words.
 */
export function authorize(actor: Actor, action: Exclude<Action, "read" | "post">, subject: Subject = {}): asserts actor is NonNullable<Actor> {
  if (can(actor, action, subject)) return;
  throw new AppError(actor === null ? "unauthorized" : "forbidden:page", refusal(actor, action, subject));
}
