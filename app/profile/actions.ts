"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { refusal } from "@/lib/auth/policy";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { changeName, changePassword } from "@/lib/users/accounts";
import { idSchema } from "@/lib/ids";

function signedIn<A extends { blocked: boolean } | null>(actor: A): NonNullable<A> {
  if (!actor || actor.blocked) throw new AppError("unauthorized", refusal(actor as never, "edit"));
  return actor as NonNullable<A>;
}

export const changeNameAction = formAction(z.object({ name: z.string().max(200) }), async ({ name }, actor) => {
  const me = signedIn(actor);
  const user = await changeName(getDb(), me.id, name);
  revalidatePath("/profile");
  return { ok: true, message: `Your name is now ${user.name}.` };
});

export const changePasswordAction = formAction(
  z.object({ currentPassword: z.string().max(2_000_000).default(""), newPassword: z.string().max(2_000_000) }),
  async ({ currentPassword, newPassword }, actor) => {
    const me = signedIn(actor);
    await changePassword(getDb(), me.id, currentPassword, newPassword);
    return { ok: true, message: "Your password was changed, and every session signed in with the old one has ended (this one too): sign in again with the new password." };
  },
);

export const createTokenAction = formAction(
  z.object({ name: z.string().max(200), scope: z.enum(["read", "write"], { error: "Choose read or write." }) }),
  async ({ name, scope }, actor) => {
    const me = signedIn(actor);
    const created = await createApiToken(getDb(), me.id, name, scope);
    revalidatePath("/profile");
    return { ok: true, message: "Copy this token now; it will not be shown again.", data: { token: created.token } };
  },
);

export const revokeTokenAction = formAction(z.object({ id: idSchema }), async ({ id }, actor) => {
  const me = signedIn(actor);
  await revokeApiToken(getDb(), me.id, id);
  revalidatePath("/profile");
  return { ok: true, message: "The token was revoked." };
});
