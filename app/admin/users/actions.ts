"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { can, refusal } from "@/lib/auth/policy";
import { getDb } from "@/lib/db";
import { roles } from "@/lib/users/accounts";
import { AppError } from "@/lib/errors";
import { setBlocked, setRole } from "@/lib/users/accounts";

export const setRoleAction = formAction(
  z.object({ userId: z.string().uuid(), role: z.enum(roles, { error: "Unknown role." }) }),
  async ({ userId, role }, actor) => {
    if (!can(actor, "administer")) throw new AppError("forbidden:page", refusal(actor, "administer"));
    const user = await setRole(getDb(), actor!.id, userId, role);
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.name} is now ${user.role}.` };
  },
);

export const setBlockedAction = formAction(
  z.object({ userId: z.string().uuid(), blocked: z.enum(["true", "false"]) }),
  async ({ userId, blocked }, actor) => {
    if (!can(actor, "administer")) throw new AppError("forbidden:page", refusal(actor, "administer"));
    const user = await setBlocked(getDb(), actor!.id, userId, blocked === "true");
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.name} is ${user.blockedAt ? "blocked" : "unblocked"}.` };
  },
);
