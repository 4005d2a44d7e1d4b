import { useEffect, useState } from "react";

/** A draft kept in this browser: the text, summary and the revision it was written on. */
export type Draft = { source: string; summary: string; base: number | null; savedAt: string };

/**
 * Drafts in localStorage: offers one left by a reload or a crash (when it
 * differs from what was loaded), and autosaves while the text is dirty.
 */
export function useDraft(
  key: string,
  initialSource: string,
  current: { source: string; summary: string; base: number | null; dirty: boolean },
) {
  const [offer, setOffer] = useState<Draft | null>(null);
  const { source, summary, base, dirty } = current;

  // Offer a draft left by a reload or a crash.
  useEffect(() => {
    try {
      const stored = localStorage.getItem(key);
      if (!stored) return;
      const parsed = JSON.parse(stored) as Draft;
      if (parsed.source !== initialSource) setOffer(parsed);
    } catch {}
  }, [key, initialSource]);

  // Autosave the draft while the text differs from what was loaded.
  useEffect(() => {
    if (!dirty) return;
    const timer = setTimeout(() => {
      try {
        localStorage.setItem(key, JSON.stringify({ source, summary, base, savedAt: new Date().toISOString() } satisfies Draft));
      } catch {}
    }, 500);
    return () => clearTimeout(timer);
  }, [source, summary, base, dirty, key]);

  return {
    /** The draft offered back, until it is restored or discarded. */
    offer,
    /** Stop offering it (it was restored into the editor). */
    dismiss: () => setOffer(null),
    /** Throw it away. */
    discard: () => {
      localStorage.removeItem(key);
      setOffer(null);
    },
    /** Forget the stored draft (the page was saved). */
    clear: () => {
      try {
        localStorage.removeItem(key);
      } catch {}
    },
  };
}
