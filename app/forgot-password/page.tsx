import type { Metadata } from "next";
import Link from "next/link";
import { mailIsSent } from "@/lib/mail/transport";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="auth-page">
      <h1>Forgot your password?</h1>
      <p>Type the address of your account and we will mail you a link to choose a new password.</p>
      {mailIsSent() ? null : (
        <p className="hint" role="note">
          This wiki sends no mail yet (its operator has not set up a mail server): the link is written to the server log, so ask the operator for it.
        </p>
      )}
      <ForgotPasswordForm />
      <p>
        <Link href="/signin">Back to sign in</Link>
      </p>
    </div>
  );
}
