"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

type Me = { user: { name: string; role: string; unread?: number } | null; blocked: boolean };

/**
 * The personal part of the header, filled in by the browser from /api/me, so
 * the rest of every page is the same for all readers and can be cached.
 */
export function UserMenu() {
  const [me, setMe] = useState<Me | null>(null);
  const pathname = usePathname();
  useEffect(() => {
    let live = true;
    fetch("/api/me", { cache: "no-store" })
      .then((r) => (r.ok ? (r.json() as Promise<Me>) : null))
      .then((data) => live && setMe(data))
      .catch(() => live && setMe({ user: null, blocked: false }));
    return () => {
      live = false;
    };
  }, [pathname]);
  if (me === null) return <div className="user-menu" aria-busy="true" />;
  if (!me.user) {
    const back = encodeURIComponent(pathname);
    return (
      <div className="user-menu">
        {me.blocked ? <span className="badge">blocked</span> : null}
        <Link href={`/signin?callbackUrl=${back}`}>Sign in</Link>
        <Link href="/signup">Create account</Link>
      </div>
    );
  }
  return (
    <div className="user-menu">
      <Link href="/profile" className="user-name">
        {me.user.name}
      </Link>
      <Link href="/notifications" className="notifications-link" aria-label={`Notifications: ${me.user.unread ?? 0} unread`}>
        🔔{me.user.unread ? <span className="unread-count">{me.user.unread}</span> : null}
      </Link>
      <Link href="/watchlist">Watchlist</Link>
      {me.user.role === "moderator" || me.user.role === "admin" ? <Link href="/moderation">Moderation</Link> : null}
      {me.user.role === "admin" ? <Link href="/admin/users">Admin</Link> : null}
      <button type="button" className="link-button" onClick={() => signOut({ callbackUrl: "/" })}>
        Sign out
      </button>
    </div>
  );
}
