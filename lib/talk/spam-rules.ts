/**
 * The spam rule set over folded text: spam and sales phrases, link counting,
 * word flooding, and the author's website.
 */
import { foldForSpam } from "./spam-fold";
import { scanHtml } from "./html-scan";
import { joinSpacedLetters } from "./text-scan";

/**
 * A spam phrase, matched on folded text at word boundaries, with a plural
 * "s"/"es" allowed, any run of spaces or punctuation between words, and "i"
 * and "l" interchangeable (so `cia1is` matches "cialis"); or a label with a
 * regular expression over folded text.
 */
type TermSpec = string | readonly [label: string, pattern: RegExp];

/** Spam phrases by category; each distinct phrase found weighs 0.35. */
const STRONG_TERMS: Readonly<Record<string, readonly TermSpec[]>> = {
  "pharmacy words": [
    "soma", "ativan", "xanax", "viagra", "cialis", "levitra", "valium", "tramadol", "oxycodone", "hydrocodone", "vicodin",
    "adderall", "ambien", "klonopin", "phentermine", "propecia", "kamagra", "without rx", "no rx", "without prescription",
    "without a prescription", "no prescription", "online pharmacy", "pharmacy online", "canadian pharmacy", "diet pills",
    "weight loss pills", "overnight delivery", "pills online", ["lose N pounds", /\blose \d+ ?(?:lbs?|pounds|kg)\b/],
  ],
  "gambling words": [
    "casino", "online casino", "free spins", "no deposit", "free slots", "roulette", "blackjack", "sports betting",
    "betting tips", "deposit bonus",
  ],
  "loan words": [
    "payday loan", "cash advance", "no credit check", "bad credit", "instant approval", "guaranteed approval", "quick cash",
    "fast cash", "fast loans", "lowest rates",
  ],
  "crypto words": [
    "double your bitcoin", "bitcoin doubler", "double your crypto", "crypto profits", "trading bot", "presale", "btc",
    "airdrop", "send to our wallet", ["goes 1000x", /\b(?:goes|go|going) \d{2,}x\b/], ["receive 2x back", /\breceive \d+x\b/],
  ],
  "SEO words": [
    "seo services", "best seo", "cheap seo", "backlinks", "google rank", "first page of google", "web traffic", "website traffic", "buy traffic",
    "visitors for your", "top 10 guaranteed", "increase your rank",
  ],
  "fake reviews and followers": [
    "buy reviews", "positive reviews", "5 star reviews", "fake reviews", "order reviews", "reviews for your business",
    "buy followers", "followers and likes", "more followers", "buy likes",
  ],
  "replica goods": ["replica watches", "replica bags", "rolex", "cartier", "louis vuitton", "designer handbags"],
  "essay mill words": ["write my essay", "essay writing service", "essay service", "custom essays", "term papers", "buy essay"],
  "adult words": ["hot singles", "sexy singles", "adult dating", "porn", "webcam girls", "escort service"],
};

/** Weaker sales and boilerplate phrases: each adds a little, never enough alone. */
const WEAK_TERMS: readonly TermSpec[] = [
  "seo", "slots", "jackpot", "replica", "xxx",
  "cheap", "lowest price", "lowest prices", "best prices", "cheap prices", "discount", "buy now", "order now", "apply now",
  "play now", "click here", "check my site", "check out my site", "visit my site", "my site", "bonus", "free credit",
  "guaranteed", "limited time", "today only", "act now", "risk free", "make money", "work from home", "win big",
  "instant delivery", "discreet", "buy online", "hello admin", "nice blog", "great post", "very informative article",
  "i will bookmark", "nice article", "earn money", "from home", "visit my blog", "visit my page", "visit mine",
  "visit our website", "in your area", "best deals", "online degree", "degree online", ["N% bonus", /\d+% bonus/], ["money amounts", /\$\d[\d,]*/],
];

type Term = { label: string; pattern: RegExp };

function compileTerm(term: TermSpec): Term {
  if (typeof term !== "string") return { label: term[0], pattern: term[1] };
  const body = term
    .split(" ")
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[il]/g, "[il]"))
    .join("[\\s\\W_]+");
  return { label: term, pattern: new RegExp(`(?<![a-z0-9])${body}(?:e?s)?(?![a-z0-9])`) };
}

const STRONG: readonly { category: string; terms: Term[] }[] = Object.entries(STRONG_TERMS).map(([category, terms]) => ({
  category,
  terms: terms.map(compileTerm),
}));
export const WEAK: readonly Term[] = WEAK_TERMS.map(compileTerm);

export const URL_SHORTENERS = /(?:^|\.)(?:bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|cutt\.ly|rebrand\.ly|shorturl\.at)$/;

/** Folded text plus a variant with spaced-out letters joined, for matching. */
export function matchForms(text: string): string[] {
  const folded = foldForSpam(text);
  // Letters spaced out to dodge filters ("s o m a", "s.o.m.a") joined, by a scan.
  const joined = joinSpacedLetters(folded);
  return joined === folded ? [folded] : [folded, joined];
}

export function strongHits(forms: string[]): Map<string, string[]> {
  const hits = new Map<string, string[]>();
  for (const { category, terms } of STRONG) {
    const found = terms.filter((t) => forms.some((f) => t.pattern.test(f))).map((t) => t.label);
    if (found.length > 0) hits.set(category, found);
  }
  return hits;
}

/**
 * Count links: <a href> tags plus bare URLs outside tags that are not one of
 * those hrefs. The text is read once by htmlparser2's tokenizer (linear: a
 * regex from every `<a` to the next `>` is quadratic on `<a<a<a…`).
 */
export function countLinks(text: string): number {
  const hrefs: string[] = [];
  const outside: string[] = [];
  scanHtml(text, {
    open(name, attribs) {
      const href = attribs.get("href");
      if (name === "a" && href !== undefined) hrefs.push(href.trim());
      outside.push(" ");
    },
    close: () => void outside.push(" "),
    text: (data) => void outside.push(data),
  });
  const known = new Set(hrefs);
  const bare = outside.join("").match(/\b(?:https?:\/\/|www\.)[^\s<>"']+/gi) ?? [];
  return hrefs.length + bare.filter((u) => !known.has(u)).length;
}

const STOPWORDS = new Set(
  "the and that this with for you are was but not have has had his her its our your their they them then than there here what when where which who will would could should into from about more some such very just also only over".split(" "),
);

/** The most over-used word, as [word, count], when it floods the text. */
export function floodedWord(words: string[]): [string, number] | null {
  const counts = new Map<string, number>();
  let run = 1;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    counts.set(word, (counts.get(word) ?? 0) + 1);
    run = i > 0 && words[i - 1] === word ? run + 1 : 1;
    if (run >= 3 && !STOPWORDS.has(word)) return [word, Math.max(run, counts.get(word)!)];
  }
  for (const [word, count] of counts) {
    if (!STOPWORDS.has(word) && count >= 4 && count / words.length >= 0.2) return [word, count];
  }
  return null;
}

export function hostOf(url: string): string | null {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}
