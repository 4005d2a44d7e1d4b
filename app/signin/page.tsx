import type { Metadata } from "next";
import Link from "next/link";
import { oauthProviders } from "@/lib/auth/options";
import { safeCallback } from "@/lib/security/callback";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const errorMessages: Record<string, string> = {
  OAuthAccountNotLinked: "That account is not linked to a Propagate account.",
  AccessDenied: "Access was denied.",
  Configuration: "Sign-in is not configured correctly on this server.",
};

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  // Only messages of our own: the address is anyone's to write, so its text is never shown as is.
  const error = typeof params.error === "string" ? (errorMessages[params.error] ?? "Sign-in did not work; please try again.") : undefined;
  return (
    <div className="auth-page">
      <h1>Sign in</h1>
      <SignInForm callbackUrl={safeCallback(params.callbackUrl)} providers={oauthProviders()} initialError={error} />
      <p>
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      <p>
        New here? <Link href="/signup">Create an account</Link>.
      </p>
    </div>
  );
}
