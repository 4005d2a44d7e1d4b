"use client";

import { useFormAction } from "../../_components/use-form-action";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { startExportAction } from "./actions";

/** The two export buttons; after a start the list below is read again. */
export function ExportForm() {
  const [state, action, pending] = useFormAction(startExportAction, {});
  const router = useRouter();
  useEffect(() => {
    if (state.ok) router.refresh();
  }, [state, router]);
  return (
    <form action={action} className="inline-form">
      <button type="submit" name="format" value="mediawiki" disabled={pending}>
        Export as MediaWiki XML
      </button>{" "}
      <button type="submit" name="format" value="git" disabled={pending}>
        Export as a git repository
      </button>
      {state.error ? <p role="alert">{state.error}</p> : state.message ? <p role="status">{state.message}</p> : null}
    </form>
  );
}
