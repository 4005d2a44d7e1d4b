import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { getUserById } from "@/lib/users/accounts";
import { ProfileForms, TokenRow } from "./profile-forms";

export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage() {
  const actor = await currentActor();
  if (!actor || actor.blocked) redirect("/signin?callbackUrl=/profile");
  const db = getDb();
  const [user, tokens] = await Promise.all([getUserById(db, actor.id), listApiTokens(db, actor.id)]);
  if (!user) redirect("/signin");
  return (
    <div className="profile">
      <h1>Your profile</h1>
      <p>
        Signed in as <strong>{user.name}</strong>
        {user.email ? <> ({user.email})</> : null}, role <strong>{user.role}</strong>.
      </p>
      <ProfileForms name={user.name} hasPassword={user.passwordHash !== null} />
      <h2>API tokens</h2>
      <p>Tools and bots act as you through a token, under the same rules as you. A read token can only read.</p>
      {tokens.length === 0 ? <p>No tokens yet.</p> : null}
      <ul className="token-list">
        {tokens.map((t) => (
          <TokenRow key={t.id} token={{ id: t.id, name: t.name, scope: t.scope, prefix: t.prefix, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null }} />
        ))}
      </ul>
    </div>
  );
}
