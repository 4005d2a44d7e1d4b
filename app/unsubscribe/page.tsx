import type { Metadata } from "next";
import { UnsubscribeForm } from "./unsubscribe-form";

export const metadata: Metadata = { title: "Stop notification mail", referrer: "no-referrer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UnsubscribePage({ searchParams }: Props) {
  const params = await searchParams;
  const user = typeof params.user === "string" ? params.user : "";
  const token = typeof params.token === "string" ? params.token : "";
  return (
    <div className="auth-page">
      <h1>Stop notification mail</h1>
      <p>You will still see notifications in the wiki, and mails about your account (such as password resets) still come.</p>
      <UnsubscribeForm user={user} token={token} />
    </div>
  );
}
