import { route } from "@/lib/edge/route";
import { unsubscribeCommand } from "@/lib/commands/users/mail-preferences";

/**
 * RFC 8058 one-click unsubscribe: a mail client POSTs `List-Unsubscribe=One-Click`
 * to the address in the mail's List-Unsubscribe header; the user and token are
 * in its query. No cookie counts here: the token is the proof.
 */
export const POST = route({ body: "form", maxBytes: 1_000, crossSite: true }, async ({ ctx, url, body }) => {
  // The body's List-Unsubscribe=One-Click is parsed by the command's schema; who and the proof come from the header's address.
  await unsubscribeCommand.execute(ctx, { ...Object(body), user: url.searchParams.get("user") ?? "", token: url.searchParams.get("token") ?? "" });
  return new Response("You will get no more notification mail.\n", { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
});
