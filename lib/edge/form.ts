import "server-only";
import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import type { z } from "zod";
import { currentActor } from "@/lib/auth/session";
import type { Command, CommandContext } from "@/lib/commands/command";
import { getDb } from "@/lib/db";
import type { AppError } from "@/lib/errors";
import { pathsFor } from "@/lib/events/effects";
import type { DomainEvent } from "@/lib/events/events";
import { clientIp, isSameOrigin, siteOrigin } from "@/lib/security/request";
import { GUEST_COOKIE } from "@/lib/talk/viewer";
import { toSafeError } from "./failure";
import type { FormState } from "./form-state";
import { originPolicy } from "./policy";

/** Form fields never echoed back. */
const SECRET_FIELDS = new Set(["password", "currentPassword", "newPassword"]);

export type FormOptions<S extends z.ZodType, R, D> = {
  /** Turn the form's fields into the command's input (field names differ: `slug` → `title`). */
  input?: (fields: Record<string, string>) => unknown;
  /** The form state for the command's result. */
  present: (result: R, events: readonly DomainEvent[]) => FormState<D> | Promise<FormState<D>>;
  /** A form state for an expected refusal that carries data (edit conflicts, MDX issues); default: the message. */
  refused?: (error: AppError) => FormState<D> | undefined;
  /** Mark the command type as used (for inference). */
  command?: Command<S, R>;
};

/** Default field mapping: a page form names its page `slug`; commands call it `title`. */
function slugAsTitle(fields: Record<string, string>): Record<string, string> {
  const { slug, ...rest } = fields;
  return slug === undefined ? rest : { ...rest, title: slug };
}

/**
 * The one recipe of every server action: refuse another site's form (no
 * header skips this), refuse API tokens (forms act for a signed-in browser),
 * find who is asking, then run the command with the form's fields, revalidate
 * what its events changed, and present the result. Every failure becomes form
 * state; nothing internal is ever shown.
 */
export function formAction<S extends z.ZodType, R, D = undefined>(
  command: Command<S, R>,
  options: FormOptions<S, R, D>,
): (previous: FormState<D>, formData: FormData) => Promise<FormState<D>> {
  return async (_previous, formData) => {
    const raw: Record<string, string> = {};
    const fields: Record<string, string> = {};
    // Anyone can post any arguments to an action's id: only a form is one.
    if (!(formData instanceof FormData)) return { error: "This request is not a form; nothing was changed." };
    for (const [key, value] of formData.entries()) {
      // `$ACTION…` are React's own; files are not fields of any command.
      if (typeof value !== "string" || key.startsWith("$")) continue;
      raw[key] = value;
      // Echo short fields back so a refused form keeps what the person typed (long text stays in the browser).
      if (value.length <= 2000 && !SECRET_FIELDS.has(key)) fields[key] = value;
    }
    const requestHeaders = await headers();
    const policy = originPolicy();
    if (!isSameOrigin(requestHeaders, policy)) return { error: "This form was sent from another site; nothing was changed.", fields };
    // Forms are the browser's, signed in by session. A token (perhaps a read-only one) acts only through
    // the JSON API, where each route checks what the token's scope allows.
    if (requestHeaders.get("authorization")?.startsWith("Bearer ")) {
      return { error: "Forms work with a signed-in session; tools with an API token use the JSON API (/api/openapi.json).", fields };
    }
    try {
      const ctx: CommandContext = {
        db: getDb(),
        actor: await currentActor(),
        ip: clientIp(requestHeaders),
        via: "form",
        siteOrigin: siteOrigin(requestHeaders, policy),
        guestToken: (await cookies()).get(GUEST_COOKIE)?.value,
      };
      const { result, events } = await command.execute(ctx, (options.input ?? slugAsTitle)(raw));
      for (const path of new Set(events.flatMap(pathsFor))) revalidatePath(path);
      return await options.present(result, events);
    } catch (error) {
      const safe = toSafeError(error);
      const special = options.refused?.(safe);
      if (special) return { ...special, fields };
      const field = typeof safe.details.field === "string" ? safe.details.field : undefined;
      return { error: safe.message, fields, ...(field ? { field } : {}) };
    }
  };
}
