import { useEffect, useRef } from "react";

/**
 * Ask before leaving while `unsaved`: closing or reloading the tab, and links
 * inside the app, which navigate without unloading the page. Returns the flag
 * as a ref, so a successful save can lower it before navigating away.
 */
export function useUnsavedGuard(unsaved: boolean) {
  const flag = useRef(false);
  flag.current = unsaved;
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (flag.current) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    // Capture, before the router acts.
    const leave = (event: MouseEvent) => {
      if (!flag.current || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (!link || link.getAttribute("target") === "_blank" || link.getAttribute("href")?.startsWith("#")) return;
      if (!window.confirm("Leave this page? Your changes are not saved (a draft stays in this browser).")) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", warn);
    window.addEventListener("click", leave, true);
    return () => {
      window.removeEventListener("beforeunload", warn);
      window.removeEventListener("click", leave, true);
    };
  }, []);
  return flag;
}
