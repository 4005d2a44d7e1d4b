import type { Metadata } from "next";
import { VerifyEmailForm } from "./verify-email-form";

export const metadata: Metadata = { title: "Confirm your address", referrer: "no-referrer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VerifyEmailPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  return (
    <div className="auth-page">
      <h1>Confirm your address</h1>
      <p>Confirm that the address this link was mailed to is yours. Until then, the wiki sends it no notifications.</p>
      <VerifyEmailForm token={token} />
    </div>
  );
}
