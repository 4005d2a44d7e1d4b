import { useEffect, useState, useTransition } from "react";
import type { ContentIssue } from "@/lib/errors";
import { previewAction } from "./actions";

export type Preview = { html?: string; issues?: ContentIssue[]; error?: string };

/** The live preview: the source rendered through the real pipeline a moment after typing stops. */
export function usePreview(slug: string, source: string) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewing, startPreview] = useTransition();
  useEffect(() => {
    const timer = setTimeout(() => {
      startPreview(async () => {
        const data = new FormData();
        data.set("slug", slug);
        data.set("content", source);
        try {
          const result = await previewAction({}, data);
          const issues = (result.data?.issues as ContentIssue[] | undefined) ?? undefined;
          setPreview(result.ok ? { html: result.data?.html as string } : { issues, error: issues ? undefined : result.error });
        } catch {
          setPreview({ error: "The preview could not be loaded (are you offline?). It will try again when you type." });
        }
      });
    }, 700);
    return () => clearTimeout(timer);
  }, [source, slug]);
  return { preview, previewing };
}
