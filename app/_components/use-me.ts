"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

export type Me = { user: { name: string; role: string; unread?: number } | null; blocked: boolean };

// One request per page for every component that asks (the header's menu, the rating form).
let asked: { path: string; answer: Promise<Me> } | null = null;

function askMe(path: string): Promise<Me> {
  if (asked?.path !== path) {
    const answer = fetch("/api/me", { cache: "no-store" })
      .then((r) => (r.ok ? (r.json() as Promise<Me>) : { user: null, blocked: false }))
      .catch(() => ({ user: null, blocked: false }));
    asked = { path, answer };
  }
  return asked.answer;
}

/** Who is reading, from /api/me (null until the browser knows), asked again after each navigation. */
export function useMe(): Me | null {
  const pathname = usePathname();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    let live = true;
    void askMe(pathname).then((data) => live && setMe(data));
    return () => {
      live = false;
    };
  }, [pathname]);
  return me;
}
