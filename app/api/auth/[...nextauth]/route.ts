import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { originPolicy } from "@/lib/edge/policy";
import { errorResponse } from "@/lib/edge/route";
import { toSafeError } from "@/lib/edge/failure";
import { AppError } from "@/lib/errors";
import { isSameOrigin } from "@/lib/security/request";

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth v4 reads the route's params; Next 16 passes them as a promise. The edge's rules hold
// here too: a sign-in or sign-out POST must come from this site, and no failure shows internals.
async function handler(request: Request, context: Context) {
  try {
    if (request.method === "POST" && !isSameOrigin(request.headers, originPolicy())) {
      throw new AppError("forbidden:origin", "This request came from another site (or without an Origin header); nothing was changed.");
    }
    return await NextAuth(request as never, { params: await context.params } as never, authOptions());
  } catch (error) {
    const safe = toSafeError(error);
    // A callback next-auth cannot handle (a GET to the credentials callback, say) is the client's mistake.
    return errorResponse(safe.code === "internal" ? new AppError("invalid:input", "This sign-in request is not valid; start again from the sign-in page.") : safe);
  }
}

export { handler as GET, handler as POST };
