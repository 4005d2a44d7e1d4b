"use client";

import { Bell, ChevronDown, CircleUser } from "lucide-react";
import Link from "next/link";
import { signOut } from "next-auth/react";
import { usePathname } from "next/navigation";
import { Menu } from "./menu";
import { useMe } from "./use-me";

/**
 * The personal part of the header, filled in by the browser from /api/me, so
 * the rest of every page is the same for all readers and can be cached: the
 * notification bell, and a menu under the member's name.
 */
export function UserMenu() {
  const me = useMe();
  const pathname = usePathname();
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
  const unread = me.user.unread ?? 0;
  const staff = me.user.role === "moderator" || me.user.role === "admin";
  return (
    <div className="user-menu">
      <Link href="/notifications" className="notifications-link" aria-label={`Notifications: ${unread} unread`} title="Notifications">
        <Bell aria-hidden="true" size={20} />
        {unread ? <span className="unread-count">{unread}</span> : null}
      </Link>
      <Menu
        className="user-dropdown"
        label={
          <>
            <CircleUser aria-hidden="true" size={20} />
            <span className="user-name">{me.user.name}</span>
            <ChevronDown aria-hidden="true" size={16} />
          </>
        }
      >
        <Link href={`/users/${encodeURIComponent(me.user.name)}`}>Contributions</Link>
        <Link href="/profile">Profile</Link>
        <Link href="/watchlist">Watchlist</Link>
        <Link href="/notifications">Notifications</Link>
        {staff ? <Link href="/moderation">Moderation</Link> : null}
        {me.user.role === "admin" ? <Link href="/admin/users">Admin</Link> : null}
        <button type="button" onClick={() => signOut({ callbackUrl: "/" })}>
          Sign out
        </button>
      </Menu>
    </div>
  );
}
