import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor, currentSessionId } from "@/lib/auth/session";
import { listSessions, sessionHandle } from "@/lib/auth/sessions";
import { listApiTokens } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { getUserById } from "@/lib/users/accounts";
import { mailIsSent } from "@/lib/mail/transport";
import { ProfileForms, SessionRow, SignOutEverywhere, TokenRow } from "./profile-forms";
import { MailForms } from "./mail-forms";

export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage() {
  const actor = await currentActor();
  if (!actor || actor.blocked) redirect("/signin?callbackUrl=/profile");
  const db = getDb();
  const [user, tokens, sessions, sid] = await Promise.all([getUserById(db, actor.id), listApiTokens(db, actor.id), listSessions(db, actor.id), currentSessionId()]);
  const here = sid ? sessionHandle(sid) : null;
  const now = Date.now();
  if (!user) redirect("/signin");
  return (
    <div className="profile">
      <h1>Your profile</h1>
      <p>
        Signed in as <strong>{user.name}</strong>
        {user.email ? <> ({user.email})</> : null}, role <strong>{user.role}</strong>.
      </p>
      <ProfileForms name={user.name} hasPassword={user.passwordHash !== null} />
      <MailForms
        settings={{
          email: user.email,
          verified: user.emailVerified !== null,
          pendingEmail: user.pendingEmail,
          mail: user.mailNotifications,
          minorEdits: user.notifyMinorEdits,
          hasPassword: user.passwordHash !== null,
          mailIsSent: mailIsSent(),
        }}
      />
      <h2>API tokens</h2>
      <p>Tools and bots act as you through a token, under the same rules as you. A read token can only read.</p>
      {tokens.length === 0 ? <p>No tokens yet.</p> : null}
      <ul className="token-list">
        {tokens.map((t) => (
          <TokenRow
            key={t.id}
            token={{
              id: t.id,
              name: t.name,
              scope: t.scope,
              prefix: t.prefix,
              createdAt: t.createdAt.toISOString(),
              lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
              expiresAt: t.expiresAt.toISOString(),
              expired: t.expiresAt.getTime() <= now,
            }}
          />
        ))}
      </ul>
      <h2>Where you are signed in</h2>
      <p>Each browser you signed in with. Sign out one you do not recognise, or all of them.</p>
      <ul className="session-list" aria-label="Signed-in sessions">
        {sessions.map((s) => (
          <SessionRow
            key={s.handle}
            session={{ handle: s.handle, device: s.device, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), current: s.handle === here }}
          />
        ))}
      </ul>
      <SignOutEverywhere />
    </div>
  );
}
