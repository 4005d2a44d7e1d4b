"use client";

import { useMe } from "@/app/_components/use-me";
import { saveNotice, type SaveNotice } from "./save-notice";

const MESSAGES: Record<SaveNotice, string> = {
  created: "The page was created. Thank you!",
  merged: "Someone else had saved this page while you were editing; your edit was merged with theirs.",
  saved: "Your edit was saved.",
};

/** The confirmation after a save, shown to its author only (see save-notice.ts). */
export function SaveNoticeBanner(props: { asked: SaveNotice; authorName: string | null; isLatest: boolean; revisionNumber: number; savedAt: number }) {
  const me = useMe();
  // The status region is always there, so a screen reader announces the message when it appears.
  const notice = me ? saveNotice(props.asked, { ...props, readerName: me.user?.name ?? null, now: Date.now() }) : null;
  return (
    <p className={notice ? "form-ok" : undefined} role="status" hidden={!notice}>
      {notice ? MESSAGES[notice] : null}
    </p>
  );
}
