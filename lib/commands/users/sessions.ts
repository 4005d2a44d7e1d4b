import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { endAllSessions, endSessionByHandle } from "@/lib/auth/sessions";
import { defineCommand } from "@/lib/commands/command";
import { text } from "@/lib/text";

/** A member ends one of their own sessions (named by the handle the profile shows). */
export const endSessionCommand = defineCommand({
  name: "end-session",
  input: z.object({ session: text({ label: "Session", max: 64, min: 1, trim: true }) }),
  async run(ctx, input): Promise<{ ended: true }> {
    authorize(ctx.actor, "rate");
    await endSessionByHandle(ctx.db, ctx.actor.id, input.session);
    return { ended: true };
  },
});

/** "Sign out everywhere": a member ends every one of their sessions, this one included. */
export const endAllSessionsCommand = defineCommand({
  name: "end-all-sessions",
  input: z.object({}),
  async run(ctx): Promise<{ ended: number }> {
    authorize(ctx.actor, "rate");
    return { ended: await endAllSessions(ctx.db, ctx.actor.id) };
  },
});
