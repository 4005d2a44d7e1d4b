/**
 * The largest request body any route or server action accepts, in bytes:
 * scripts/server.ts answers 413 beyond it before Next.js reads a byte, and
 * next.config.mjs's serverActions.bodySizeLimit ("2mb") is above it, so
 * Next.js never fails first. A page's source (300,000 characters) fits.
 */
export const MAX_REQUEST_BYTES = 1_500_000;

/** JSON API bodies: a page's source plus the other fields. */
export const MAX_JSON_BYTES = 1_300_000;
