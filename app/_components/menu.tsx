"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * A disclosure menu of links and buttons (a `<details>`: it opens without
 * JavaScript, and its summary is a button to assistive technology). Once
 * hydrated it also closes on Escape (focus goes back to its button), on a
 * click outside and when focus leaves it.
 */
export function Menu({ label, children, className, title }: { label: ReactNode; children: ReactNode; className?: string; title?: string }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    const close = () => {
      details.open = false;
    };
    const onPointer = (e: PointerEvent) => {
      if (details.open && !details.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && details.open) {
        close();
        details.querySelector("summary")?.focus();
      }
    };
    const onFocusOut = (e: FocusEvent) => {
      if (details.open && e.relatedTarget instanceof Node && !details.contains(e.relatedTarget)) close();
    };
    document.addEventListener("pointerdown", onPointer);
    details.addEventListener("keydown", onKey);
    details.addEventListener("focusout", onFocusOut);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      details.removeEventListener("keydown", onKey);
      details.removeEventListener("focusout", onFocusOut);
    };
  }, []);
  return (
    <details ref={ref} className={`menu ${className ?? ""}`}>
      <summary title={title}>{label}</summary>
      <div className="menu-list">{children}</div>
    </details>
  );
}
