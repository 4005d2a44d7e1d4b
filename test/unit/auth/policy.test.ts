import { describe, expect, it } from "vitest";
import { actions, can, type Action, type Actor } from "@/lib/auth/policy";
import { roles, type Role } from "@/lib/db/schema/users";

const actor = (role: Role, extra: Partial<NonNullable<Actor>> = {}): Actor => ({ id: "u", name: "U", role, blocked: false, ...extra });

// The policy table: for each action, the roles that may do it on an ordinary page.
const table: Record<Action, (Role | "anonymous")[]> = {
  read: ["anonymous", "reader", "editor", "moderator", "admin"],
  edit: ["editor", "moderator", "admin"],
  protect: ["moderator", "admin"],
  rate: ["reader", "editor", "moderator", "admin"],
  post: ["reader", "editor", "moderator", "admin"],
  moderate: ["moderator", "admin"],
  administer: ["admin"],
};

describe("can(actor, action, subject)", () => {
  for (const action of actions) {
    for (const who of ["anonymous", ...roles] as const) {
      const allowed = table[action].includes(who);
      it(`${who} ${allowed ? "may" : "may not"} ${action}`, () => {
        expect(can(who === "anonymous" ? null : actor(who), action)).toBe(allowed);
      });
    }
  }

  it.each(roles)("a blocked %s may only read", (role) => {
    for (const action of actions) expect(can(actor(role, { blocked: true }), action)).toBe(action === "read");
  });

  it("a protected page can be edited by moderators and admins only", () => {
    const page = { protection: "moderators" as const, deleted: false };
    expect(roles.filter((r) => can(actor(r), "edit", { page }))).toEqual(["moderator", "admin"]);
  });

  it("a deleted page is readable by moderators only and editable by no one", () => {
    const page = { protection: "none" as const, deleted: true };
    expect(can(null, "read", { page })).toBe(false);
    expect(roles.filter((r) => can(actor(r), "read", { page }))).toEqual(["moderator", "admin"]);
    expect(roles.filter((r) => can(actor(r), "edit", { page }))).toEqual([]);
  });

  it("guests may post only when guest posting is on", () => {
    expect(can(null, "post", { guestPosting: true })).toBe(true);
    expect(can(null, "post", { guestPosting: false })).toBe(false);
  });

  it("a read-scoped token may read but not write, whatever the role", () => {
    const bot = actor("admin", { scope: "read" });
    expect(actions.filter((a) => can(bot, a))).toEqual(["read"]);
    expect(can(actor("editor", { scope: "write" }), "edit")).toBe(true);
  });
});
