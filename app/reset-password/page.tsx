import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/lib/db";
import { emailTokenValid } from "@/lib/users/email-tokens";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ResetPasswordPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const valid = token !== "" && (await emailTokenValid(getDb(), token, "reset-password", new Date()));
  return (
    <div className="auth-page">
      <h1>Choose a new password</h1>
      {valid ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p role="alert" className="form-error">
          This reset link has expired or was already used. <Link href="/forgot-password">Ask for a new one</Link>.
        </p>
      )}
    </div>
  );
}
