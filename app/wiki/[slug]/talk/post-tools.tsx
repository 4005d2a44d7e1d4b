"use client";

import { useFormAction } from "../../../_components/use-form-action";
import { useEffect, useState } from "react";
import { FormStatus } from "../../../_components/form-status";
import { editPostAction } from "./actions";

/** The author's "Edit" for their own post; the earlier version is kept. */
export function EditPostForm({ slug, postId, source }: { slug: string; postId: number; source: string }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useFormAction(editPostAction, {});
  useEffect(() => {
    if (state.ok) window.location.reload();
  }, [state.ok]);
  if (!open) {
    return (
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        Edit
      </button>
    );
  }
  return (
    <form action={action} className="form talk-form" aria-label="Edit your post">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="postId" value={postId} />
      <label>
        Your post
        <textarea name="body" rows={5} defaultValue={source} required maxLength={20000} />
      </label>
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Save post
      </button>
    </form>
  );
}
