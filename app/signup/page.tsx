import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default function SignUpPage() {
  return (
    <div className="auth-page">
      <h1>Create an account</h1>
      <p>Accounts can edit pages, rate them and take part in discussions.</p>
      <SignUpForm />
      <p>
        Already have an account? <Link href="/signin">Sign in</Link>.
      </p>
    </div>
  );
}
