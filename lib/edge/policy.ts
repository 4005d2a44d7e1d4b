import "server-only";
import { env } from "@/lib/env";
import type { OriginPolicy } from "@/lib/security/request";

/** The origin rules of this deployment, from the environment. */
export function originPolicy(): OriginPolicy {
  const config = env();
  return { publicUrl: config.PUBLIC_URL, trustProxy: config.TRUST_PROXY === "on", allowedHosts: config.ALLOWED_HOSTS };
}

export { MAX_JSON_BYTES, MAX_REQUEST_BYTES } from "./limits";
