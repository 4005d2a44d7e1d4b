import { currentActor } from "@/lib/auth/session";

/** The signed-in user for the header menu, fetched by the browser so pages stay the same for everyone. */
export async function GET() {
  const actor = await currentActor();
  const user = actor && !actor.blocked ? { name: actor.name, role: actor.role } : null;
  return Response.json({ user, blocked: actor?.blocked ?? false }, { headers: { "Cache-Control": "private, no-store" } });
}
