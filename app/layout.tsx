import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { UserMenu } from "./_components/user-menu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Propagate", template: "%s — Propagate" },
  description: "A community wiki comparing traditional knowledge management with social learning.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its inline scripts carry this request's CSP nonce.
  await connection();
  return (
    <html lang="en">
      <body>
        {/* Webmention discovery; React places the link in the document head. */}
        <link rel="webmention" href="/api/webmention" />
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <header className="site-header">
          <div className="site-header-inner">
            <Link href="/" className="site-name">
              Propagate
            </Link>
            <nav aria-label="Main" className="site-nav">
              <Link href="/compare">Compare</Link>
              <Link href="/pages">All pages</Link>
              <Link href="/tags">Tags</Link>
              <Link href="/recent-changes">Recent changes</Link>
              <Link href="/help/editing">Help</Link>
            </nav>
            <form action="/search" method="get" role="search" className="site-search">
              <label htmlFor="site-search-q" className="visually-hidden">
                Search Propagate
              </label>
              <input id="site-search-q" name="q" type="search" placeholder="Search Propagate" maxLength={200} />
              <button type="submit">Search</button>
            </form>
            <UserMenu />
          </div>
        </header>
        <main id="content" className="site-main">
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Propagate grows out of Kevin Jones&rsquo;s 2008 post{" "}
            <Link href="/wiki/The_Differences_between_Social_Learning_and_Knowledge_Management">
              The Differences between Social Learning and Knowledge Management
            </Link>{" "}
            and the discussion under it. <Link href="/wiki/About_Propagate">About Propagate</Link>
          </p>
        </footer>
      </body>
    </html>
  );
}
