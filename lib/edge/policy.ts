import "server-only";
import { env } from "@/lib/env";
import type { OriginPolicy } from "@/lib/security/request";

/** The origin rules of this deployment, from the environment. */
export function originPolicy(): OriginPolicy {
  const config = env();
  return { publicUrl: config.PUBLIC_URL, trustProxy: config.TRUST_PROXY === "on" };
}

/**
 * The largest request body any route or server action accepts, in bytes:
 * scripts/server.ts answers 413 beyond it before Next.js reads a byte, and
 * next.config.mjs's serverActions.bodySizeLimit is set above it so Next.js
 * never fails first. A page's source (300,000 characters) fits in UTF-8.
 */
export const MAX_REQUEST_BYTES = 1_500_000;

/** JSON API bodies: a page's source plus the other fields. */
export const MAX_JSON_BYTES = 1_300_000;
