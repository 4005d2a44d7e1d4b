import type { Metadata, Viewport } from "next";
import { FilePlus, Search } from "lucide-react";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TitleCombobox } from "./_components/title-combobox";
import { UserMenu } from "./_components/user-menu";
import { shareMetadata } from "./_components/share-metadata";
import "./globals.css";

const description = "A community wiki comparing traditional knowledge management with social learning.";

export function generateMetadata(): Metadata {
  return {
    ...shareMetadata({ title: "Propagate", description }),
    title: { default: "Propagate", template: "%s — Propagate" },
    applicationName: "Propagate",
  };
}

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
              {/* Alt+Shift+F, as MediaWiki's search access key. */}
              <TitleCombobox id="site-search-q" name="q" label="Search Propagate" placeholder="Search Propagate" accessKey="f" />
              <button type="submit" aria-label="Search" title="Search">
                <Search aria-hidden="true" size={18} />
              </button>
            </form>
            <Link href="/create" className="create-link">
              <FilePlus aria-hidden="true" size={18} /> <span className="create-label">Create page</span>
            </Link>
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
