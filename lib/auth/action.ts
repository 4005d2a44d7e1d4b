import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isSameOrigin } from "@/lib/security/request";
import type { Actor } from "./policy";
import { currentActor } from "./session";

export type FormState = { ok?: boolean; message?: string; error?: string; fields?: Record<string, string>; data?: Record<string, unknown> };

/**
 * The recipe every server action follows: refuse cross-site requests, find
 * who is asking, parse the form with zod, then run the handler (which checks
 * the policy with `can` before it acts). Domain errors become form state;
 * anything else is logged and reported without details.
 */
export function formAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.infer<S>, actor: Actor) => Promise<FormState>,
): (previous: FormState, formData: FormData) => Promise<FormState> {
  return async (_previous, formData) => {
    // Echo short fields back so a refused form keeps what the person typed (long text stays in the browser).
    const fields = Object.fromEntries(
      [...formData.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$") && v.length <= 2000).map(([k, v]) => [k, v as string]),
    );
    delete fields.password;
    delete fields.currentPassword;
    delete fields.newPassword;
    const requestHeaders = await headers();
    if (!isSameOrigin(requestHeaders, env().PUBLIC_URL)) return { error: "This form was sent from another site; nothing was changed.", fields };
    // Forms are the browser's, signed in by session. A token (perhaps a read-only one) acts only through the JSON API,
    // where each route checks what the token's scope allows.
    if (requestHeaders.get("authorization")?.startsWith("Bearer ")) {
      return { error: "Forms work with a signed-in session; tools with an API token use the JSON API (/api/openapi.json).", fields };
    }
    const actor = await currentActor();
    const parsed = schema.safeParse(Object.fromEntries(formData.entries()));
    if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "The form is not valid.", fields };
    try {
      return await handler(parsed.data, actor);
    } catch (error) {
      if (error instanceof AppError) return { error: error.message, fields };
      console.error(error);
      return { error: "Something went wrong; nothing was changed. Please try again.", fields };
    }
  };
}
