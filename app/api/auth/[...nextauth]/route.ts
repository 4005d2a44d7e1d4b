import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { setAuthOrigin } from "@/lib/env";
import { originPolicy } from "@/lib/edge/policy";
import { errorResponse } from "@/lib/edge/route";
import { toSafeError } from "@/lib/edge/failure";
import { AppError } from "@/lib/errors";
import { isSameOrigin, trustedOrigin } from "@/lib/security/request";

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth v4 reads the route's params; Next 16 passes them as a promise. The edge's rules hold
// here too: a sign-in or sign-out POST must come from this site, and no failure shows internals.
async function handler(request: Request, context: Context) {
  try {
    const policy = originPolicy();
    // next-auth builds its callback and redirect URLs from NEXTAUTH_URL when it is set, else from the
    // Host header: always give it the wiki's own origin, and never answer for a host that is not ours.
    const origin = trustedOrigin(request.headers, policy);
    if (!origin) throw new AppError("invalid:input", "This wiki does not answer to that host name (set PUBLIC_URL or ALLOWED_HOSTS).");
    setAuthOrigin(origin);
    if (request.method === "POST" && !isSameOrigin(request.headers, policy)) {
      throw new AppError("forbidden:origin", "This request came from another site (or without an Origin header); nothing was changed.");
    }
    const { nextauth } = await context.params;
    // Credentials are only ever POSTed; next-auth answers anything else with a 500.
    if (request.method !== "POST" && nextauth[0] === "callback" && nextauth[1] === "credentials") {
      return errorResponse(new AppError("method_not_allowed", "Sign in from the sign-in page; this address only accepts its form."), { Allow: "POST" });
    }
    const userAgent = request.headers.get("user-agent") ?? "";
    return await NextAuth(request as never, { params: { nextauth } } as never, authOptions({ userAgent }));
  } catch (error) {
    return errorResponse(toSafeError(error));
  }
}

export { handler as GET, handler as POST };
