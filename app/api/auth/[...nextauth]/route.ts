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
    const { nextauth } = await context.params;
    // Credentials are only ever POSTed; next-auth answers anything else with a 500.
    if (request.method !== "POST" && nextauth[0] === "callback" && nextauth[1] === "credentials") {
      return errorResponse(new AppError("method_not_allowed", "Sign in from the sign-in page; this address only accepts its form."), { Allow: "POST" });
    }
    return await NextAuth(request as never, { params: { nextauth } } as never, authOptions());
  } catch (error) {
    return errorResponse(toSafeError(error));
  }
}

export { handler as GET, handler as POST };
