import "server-only";
import { headers } from "next/headers";

/**
 * Whether this render answers the client router (an RSC request) rather than
 * a page load. It reads one header, `rsc`, and nothing personal: the page cache
 * never stores router requests (page-cache-plan.ts, ROUTER_HEADERS), so a
 * shared page may ask this and still render the same for every reader.
 */
export async function isClientNavigation(): Promise<boolean> {
  return (await headers()).get("rsc") === "1";
}
