import { route } from "@/lib/edge/route";
import { receiveWebmentionCommand } from "@/lib/commands/talk/receive-webmention";

/** W3C Webmention endpoint: form-encoded `source` and `target`. 201 with the stored mention's status. */
export const POST = route({ body: "form", maxBytes: 10_000, crossSite: true }, async ({ ctx, body }) => {
  const { result } = await receiveWebmentionCommand.execute(ctx, body);
  return Response.json(result, { status: 201 });
});
