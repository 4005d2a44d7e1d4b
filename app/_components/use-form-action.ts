"use client";

import { usePathname } from "next/navigation";
import { useActionState } from "react";

/**
 * useActionState with this page as the form's permalink: React then renders
 * the form's `action` as this page's address instead of an empty `action=""`
 * (invalid HTML), and a form sent before hydration lands back here.
 */
export function useFormAction<S, P>(action: (state: Awaited<S>, payload: P) => S | Promise<S>, initial: Awaited<S>) {
  return useActionState(action, initial, usePathname());
}
