"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/security/request";
import { signUp } from "@/lib/users/accounts";

const schema = z.object({
  name: z.string().max(200),
  email: z.string().max(1000),
  password: z.string().max(2_000_000),
});

/** Create an account; the form then signs in through next-auth. */
export const signUpAction = formAction(schema, async (input, actor) => {
  if (actor) throw new AppError("invalid:input", "You are already signed in.");
  const user = await signUp(getDb(), { ...input, ip: clientIp(await headers()) });
  return { ok: true, message: `Welcome, ${user.name}.`, data: { role: user.role } };
});
