/**
 * Talk-page spam checks, all local: text folding against obfuscation, a rule
 * set, and a small naive Bayes classifier trained on the built-in corpus
 * (lib/talk/spam-corpus.ts) plus whatever moderators mark.
 *
 * Holding is never dropping: a held post is stored and waits for a moderator.
 * The module is pure (no I/O); the built-in classifier is trained lazily once.
 */
import { decodeHtmlEntities } from "@/lib/mdx/url";
import { HAM_CORPUS, SPAM_CORPUS } from "./spam-corpus";

// ---------------------------------------------------------------------------
// Folding

// Zero-width and other invisible format characters (U+200B–U+200D, U+2060,
// U+FEFF as specified, plus soft hyphen, LRM/RLM, word joiners, fillers).
// (Combining characters are kept out of the class: U+034F, U+17B4, U+17B5.)
const INVISIBLE = /(?:[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u2060-\u2064\u3164\uFEFF\uFFA0]|\u034F|\u17B4|\u17B5)/g;
// Bidirectional embedding, override and isolate controls.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Look-alike letters NFKC leaves alone, mapped to the ASCII letter they imitate:
 * Cyrillic, Greek, Armenian and Latin small capitals / IPA. (Full-width,
 * mathematical and circled letters are handled by NFKC itself.)
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic capitals
  А: "A", В: "B", Е: "E", Ѕ: "S", І: "I", Ј: "J", К: "K", М: "M", Н: "H", О: "O", Р: "P", С: "C", Т: "T", У: "Y", Х: "X",
  Ү: "Y", Һ: "H", Ԁ: "D", Ԛ: "Q", Ԝ: "W", Ӏ: "I", Ѵ: "V", Ғ: "F", Ь: "b",
  // Cyrillic small letters
  а: "a", в: "b", е: "e", ѕ: "s", і: "i", ј: "j", к: "k", м: "m", о: "o", р: "p", с: "c", у: "y", х: "x", ү: "y", һ: "h",
  ԁ: "d", ԛ: "q", ԝ: "w", ӏ: "l", ѵ: "v", г: "r", п: "n", ь: "b", т: "t", н: "h", ԍ: "g", ɡ: "g",
  // Greek capitals
  Α: "A", Β: "B", Ε: "E", Ζ: "Z", Η: "H", Ι: "I", Κ: "K", Μ: "M", Ν: "N", Ο: "O", Ρ: "P", Τ: "T", Υ: "Y", Χ: "X", Ϲ: "C", Ϳ: "J",
  // Greek small letters
  α: "a", β: "b", γ: "y", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w", ϲ: "c", ϳ: "j",
  // Armenian
  օ: "o", ս: "u", ո: "n", հ: "h", ց: "g", զ: "q",
  // Latin small capitals, dotless and IPA letters
  ı: "i", ȷ: "j", ɑ: "a", ɩ: "i", ɪ: "i", ʏ: "y", ᴀ: "a", ʙ: "b", ᴄ: "c", ᴅ: "d", ᴇ: "e", ɢ: "g", ʜ: "h", ᴊ: "j", ᴋ: "k",
  ʟ: "l", ᴍ: "m", ɴ: "n", ᴏ: "o", ᴘ: "p", ʀ: "r", ꜱ: "s", ᴛ: "t", ᴜ: "u", ᴠ: "v", ᴡ: "w", ᴢ: "z", ℓ: "l",
};
const CONFUSABLE_CHARS = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "gu");

// Digits and symbols standing in for letters inside a word.
const LEET: Readonly<Record<string, string>> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };
// A number with a unit is not a disguised word: 350mg, 10k, 2x, 24h, 4th.
const NUMBER_WITH_UNIT = /^\d+(?:st|nd|rd|th|s|k|m|x|h|hr|hrs|mg|g|kg|lb|lbs|ml|mm|cm|km|gb|mb|kb|px|am|pm|d|w|yr|yrs|min|mins|sec|secs)$/;

/**
 * Fold text for spam rules: strip zero-width characters (U+200B–U+200D,
 * U+2060, U+FEFF and other invisible format characters) and bidi controls
 * (U+202A–U+202E, U+2066–U+2069), NFKC-normalise (full-width and styled
 * letters), map Cyrillic/Greek/other look-alikes to ASCII, drop diacritics,
 * lower-case, and inside words that mix letters with digits or symbols read
 * `0→o 1→i 3→e 4→a 5→s 7→t @→a $→s` (and `!`/`|` between letters as `i`/`l`).
 * Pure numbers and numbers with units (`180`, `350mg`, `10k`) are kept.
 * For rule matching only; never show the result.
 */
export function foldForSpam(text: string): string {
  const skeleton = text
    .replace(INVISIBLE, "")
    .replace(BIDI, "")
    .normalize("NFKC")
    .replace(CONFUSABLE_CHARS, (c) => CONFUSABLES[c] ?? c)
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/(?<=[a-z0-9])!(?=[a-z])/g, "i")
    .replace(/(?<=[a-z0-9])\|(?=[a-z])/g, "l");
  return skeleton.replace(/[a-z0-9@$]+/g, (word) => {
    if (!/[a-z]/.test(word) || !/[013457@$]/.test(word) || NUMBER_WITH_UNIT.test(word)) return word;
    return word.replace(/[013457@$]/g, (c) => LEET[c] ?? c);
  });
}

// ---------------------------------------------------------------------------
// Verdicts

/** The outcome of {@link checkSpam}: a 0..1 score, whether to hold the post, and why. */
export type SpamVerdict = {
  /** 0 (clean) to 1 (certain spam). */
  score: number;
  /** Store the post as held for a moderator instead of showing it. */
  hold: boolean;
  /** Human-readable reasons, e.g. "3 links (guests may post 1)", "pharmacy words: soma, ativan", "classifier: 0.97 spam". */
  reasons: string[];
};

/** What {@link checkSpam} looks at. */
export type SpamInput = {
  /** The post source as typed (text with optional allowed tags). */
  text: string;
  authorName?: string;
  /** A guest's website. */
  authorUrl?: string;
  /** Signed-out posters are held more readily. */
  isGuest: boolean;
  /** Links in the post; counted from `text` when omitted. */
  linkCount?: number;
  /** Seconds between showing the form and submitting it. */
  secondsToFill?: number;
  /** The hidden form field humans leave empty. */
  honeypot?: string;
};

/** Score at or above which a guest's post is held. */
export const GUEST_HOLD_THRESHOLD = 0.5;
/** Score at or above which a member's post is held. */
export const MEMBER_HOLD_THRESHOLD = 0.7;
/** Links a guest may post before it counts against them. */
export const GUEST_LINK_LIMIT = 1;
/** Links a member may post before it counts against them. */
export const MEMBER_LINK_LIMIT = 3;
/** A form submitted faster than this (seconds) was filled by a program. */
export const MIN_SECONDS_TO_FILL = 3;

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
const WEAK: readonly Term[] = WEAK_TERMS.map(compileTerm);

const URL_SHORTENERS = /(?:^|\.)(?:bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|cutt\.ly|rebrand\.ly|shorturl\.at)$/;

// Joins letters spaced out to dodge filters: "s o m a", "s.o.m.a", "s-o-m-a".
const SPACED_LETTERS = /(?<![a-z0-9])[a-z](?:[\s.\-_*·•,/]+[a-z](?![a-z0-9])){2,}/g;

/** Folded text plus a variant with spaced-out letters joined, for matching. */
function matchForms(text: string): string[] {
  const folded = foldForSpam(text);
  const joined = folded.replace(SPACED_LETTERS, (run) => run.replace(/[^a-z]/g, ""));
  return joined === folded ? [folded] : [folded, joined];
}

function strongHits(forms: string[]): Map<string, string[]> {
  const hits = new Map<string, string[]>();
  for (const { category, terms } of STRONG) {
    const found = terms.filter((t) => forms.some((f) => t.pattern.test(f))).map((t) => t.label);
    if (found.length > 0) hits.set(category, found);
  }
  return hits;
}

/** Count links: <a href> tags plus bare URLs outside tags that are not one of those hrefs. */
function countLinks(text: string): number {
  const hrefs = [...text.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => (m[1] ?? m[2] ?? m[3] ?? "").trim());
  const known = new Set(hrefs);
  const bare = text.replace(/<[^>]*>/g, " ").match(/\b(?:https?:\/\/|www\.)[^\s<>"']+/gi) ?? [];
  return hrefs.length + bare.filter((u) => !known.has(u)).length;
}

const STOPWORDS = new Set(
  "the and that this with for you are was but not have has had his her its our your their they them then than there here what when where which who will would could should into from about more some such very just also only over".split(" "),
);

/** The most over-used word, as [word, count], when it floods the text. */
function floodedWord(words: string[]): [string, number] | null {
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

function hostOf(url: string): string | null {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

const noisyOr = (weights: number[]) => 1 - weights.reduce((rest, w) => rest * (1 - Math.min(1, Math.max(0, w))), 1);

/**
 * Judge a post with rules and the classifier. Rules (on folded text): links
 * over the limit (guests > 1, members > 3), spam phrases by category, weak
 * sales phrases, an author name or website that is itself a spam word,
 * word and character flooding, hidden or look-alike characters inside words,
 * and shouting. Hard rules hold regardless of score: a filled honeypot, and
 * (for guests) a form filled in under 3 seconds; for members speed only adds weight. The rule weights and the classifier's
 * opinion (only above 0.5 counts) are combined as a noisy-or into `score`;
 * the post is held when the score reaches 0.5 for guests or 0.7 for members.
 * Holding is never dropping: callers store held posts.
 */
export function checkSpam(input: SpamInput, classifier: SpamClassifier = builtInClassifier()): SpamVerdict {
  const reasons: string[] = [];
  const weights: number[] = [];
  let hard = false;
  const raw = decodeHtmlEntities(input.text) ?? input.text;
  const forms = matchForms(raw);
  const folded = forms[0]!;

  if (input.honeypot !== undefined && input.honeypot.trim() !== "") {
    hard = true;
    weights.push(1);
    reasons.push("honeypot field filled");
  }
  if (input.secondsToFill !== undefined && Number.isFinite(input.secondsToFill) && input.secondsToFill < MIN_SECONDS_TO_FILL) {
    // Bots fill forms instantly; members are known accounts, so for them speed is only a hint.
    if (input.isGuest) hard = true;
    weights.push(input.isGuest ? 0.9 : 0.3);
    reasons.push(`filled too fast (${Math.max(0, input.secondsToFill).toFixed(1)} s)`);
  }

  const links = input.linkCount ?? countLinks(input.text);
  const linkLimit = input.isGuest ? GUEST_LINK_LIMIT : MEMBER_LINK_LIMIT;
  if (links > linkLimit) {
    weights.push(Math.min(0.6, 0.3 + 0.1 * (links - linkLimit - 1)));
    reasons.push(`${links} links (${input.isGuest ? "guests" : "members"} may post ${linkLimit})`);
  }

  for (const [category, terms] of strongHits(forms)) {
    weights.push(...terms.map(() => 0.35));
    reasons.push(`${category}: ${terms.join(", ")}`);
  }
  const weak = WEAK.filter((t) => forms.some((f) => t.pattern.test(f))).map((t) => t.label);
  if (weak.length > 0) {
    weights.push(...weak.slice(0, 3).map(() => 0.12));
    reasons.push(`sales phrases: ${weak.join(", ")}`);
  }

  if (input.authorName !== undefined && input.authorName.trim() !== "") {
    const nameHits = [...strongHits(matchForms(input.authorName)).values()].flat();
    if (nameHits.length > 0) {
      weights.push(0.6);
      reasons.push(`author name is a spam word: ${nameHits.join(", ")}`);
    }
  }
  if (input.authorUrl !== undefined && input.authorUrl.trim() !== "") {
    const urlHits = [...strongHits(matchForms(input.authorUrl)).values()].flat();
    if (urlHits.length > 0) {
      weights.push(0.4);
      reasons.push(`author website has spam words: ${urlHits.join(", ")}`);
    }
    const host = hostOf(input.authorUrl.trim());
    if (host !== null && URL_SHORTENERS.test(host)) {
      weights.push(0.2);
      reasons.push(`author website is a link shortener (${host})`);
    }
  }

  const prose = folded.replace(/<[^>]*>/g, " ").replace(/\b(?:https?:\/\/|www\.)\S+/g, " ");
  const words = prose.match(/[a-z]{3,}/g) ?? [];
  const flood = floodedWord(words);
  if (flood !== null) {
    weights.push(0.3);
    reasons.push(`word repeated: "${flood[0]}" ×${flood[1]}`);
  }
  if (/([^\s.\-=_*~#])\1{5,}/u.test(prose)) {
    weights.push(0.2);
    reasons.push("characters repeated");
  }
  if (/[!?]{2,}/.test(prose)) {
    weights.push(0.08);
    reasons.push("repeated punctuation");
  }
  const shouting = input.text.replace(/<[^>]*>/g, " ").match(/\b[A-Z]{3,}(?:\s+[A-Z]{3,})+\b/g);
  if (shouting !== null) {
    weights.push(0.1);
    reasons.push(`shouting: "${shouting[0]}"`);
  }

  const disguise = disguises(input.text);
  if (disguise.length > 0) {
    weights.push(0.3);
    reasons.push(`disguised letters: ${disguise.join(", ")}`);
  }

  const p = classifier.probability(raw);
  if (p >= 0.5) {
    weights.push(0.6 * (2 * p - 1));
    reasons.push(`classifier: ${p.toFixed(2)} spam`);
  }

  const score = Math.round(noisyOr(weights) * 1000) / 1000;
  const threshold = input.isGuest ? GUEST_HOLD_THRESHOLD : MEMBER_HOLD_THRESHOLD;
  return { score, hold: hard || score >= threshold, reasons };
}

/** Ways the text hides letters: invisible characters inside words, bidi controls, mixed scripts in a word. */
function disguises(text: string): string[] {
  const found: string[] = [];
  if (new RegExp(`\\p{L}${INVISIBLE.source}+\\p{L}`, "u").test(text)) found.push("invisible characters inside words");
  if (new RegExp(BIDI.source).test(text)) found.push("text direction controls");
  const words = text.replace(INVISIBLE, "").match(/[\p{L}\p{M}]+/gu) ?? [];
  const mixed = words.some(
    (word) => /\p{Script=Latin}/u.test(word) && /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}]/u.test(word),
  );
  if (mixed) found.push("look-alike letters from other alphabets");
  if (/[\uFF21-\uFF3A\uFF41-\uFF5A]/.test(text)) found.push("full-width letters");
  return found;
}

// ---------------------------------------------------------------------------
// Classifier

type Label = "spam" | "ham";
type ClassifierJson = { kind: "propagate-spam-nb"; version: 1; docs: Record<Label, number>; tokens: Record<Label, Record<string, number>> };

const MAX_TOKENS_PER_TEXT = 2_000;
/**
 * Naive Bayes treats overlapping words and bigrams as independent evidence and
 * is overconfident, the more so on a small corpus; log-odds are divided by
 * this before turning into a probability.
 */
const TEMPERATURE = 2;

/** Classifier tokens: folded words (2–24 letters/digits) and adjacent-word bigrams. */
function tokenize(text: string): string[] {
  const folded = foldForSpam(decodeHtmlEntities(text) ?? text);
  const words = (folded.match(/[a-z0-9]{2,24}/g) ?? []).slice(0, MAX_TOKENS_PER_TEXT);
  const tokens = [...words];
  for (let i = 1; i < words.length; i++) tokens.push(`${words[i - 1]}_${words[i]}`);
  return tokens;
}

/**
 * A small multinomial naive Bayes classifier over folded word tokens and word
 * bigrams, with add-one smoothing, document-frequency priors and tempered
 * log-odds. Tokens no example contained are ignored. Trainable incrementally
 * and serialisable to JSON ({@link SpamClassifier.toJSON}).
 */
export class SpamClassifier {
  private readonly docs: Record<Label, number> = { spam: 0, ham: 0 };
  private readonly counts: Record<Label, Map<string, number>> = { spam: new Map(), ham: new Map() };
  private readonly totals: Record<Label, number> = { spam: 0, ham: 0 };
  private readonly vocabulary = new Set<string>();

  /** A classifier trained on the given spam and ham texts. */
  static fromExamples(spam: readonly string[], ham: readonly string[]): SpamClassifier {
    const classifier = new SpamClassifier();
    for (const text of spam) classifier.train(text, "spam");
    for (const text of ham) classifier.train(text, "ham");
    return classifier;
  }

  /** Learn one example. */
  train(text: string, label: Label): void {
    this.docs[label]++;
    for (const token of tokenize(text)) this.add(label, token, 1);
  }

  private add(label: Label, token: string, n: number): void {
    this.counts[label].set(token, (this.counts[label].get(token) ?? 0) + n);
    this.totals[label] += n;
    this.vocabulary.add(token);
  }

  /** P(spam | text), 0..1; 0.5 when the classifier has no examples of one class or knows none of the words. */
  probability(text: string): number {
    if (this.docs.spam === 0 || this.docs.ham === 0) return 0.5;
    const v = this.vocabulary.size;
    let logOdds = Math.log((this.docs.spam + 1) / (this.docs.ham + 1));
    for (const token of tokenize(text)) {
      if (!this.vocabulary.has(token)) continue;
      const spam = ((this.counts.spam.get(token) ?? 0) + 1) / (this.totals.spam + v);
      const ham = ((this.counts.ham.get(token) ?? 0) + 1) / (this.totals.ham + v);
      logOdds += Math.log(spam / ham);
    }
    return 1 / (1 + Math.exp(-logOdds / TEMPERATURE));
  }

  /** A JSON-safe snapshot: example counts per class and token counts, keys sorted. */
  toJSON(): object {
    const table = (label: Label) => Object.fromEntries([...this.counts[label]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const json: ClassifierJson = { kind: "propagate-spam-nb", version: 1, docs: { ...this.docs }, tokens: { spam: table("spam"), ham: table("ham") } };
    return json;
  }

  /** Restore a classifier saved with {@link SpamClassifier.toJSON}. Throws a TypeError on anything else. */
  static fromJSON(json: object): SpamClassifier {
    const data = json as Partial<ClassifierJson>;
    if (data.kind !== "propagate-spam-nb" || data.version !== 1 || typeof data.docs !== "object" || typeof data.tokens !== "object" || data.docs === null || data.tokens === null) {
      throw new TypeError("Not a saved SpamClassifier.");
    }
    const classifier = new SpamClassifier();
    for (const label of ["spam", "ham"] as const) {
      const docs = data.docs[label];
      const tokens = data.tokens[label];
      if (!Number.isInteger(docs) || docs < 0 || typeof tokens !== "object" || tokens === null) throw new TypeError("Not a saved SpamClassifier.");
      classifier.docs[label] = docs;
      for (const [token, n] of Object.entries(tokens)) {
        if (!Number.isInteger(n) || n <= 0) throw new TypeError(`Bad count for token "${token}".`);
        classifier.add(label, token, n);
      }
    }
    return classifier;
  }
}

let builtIn: SpamClassifier | undefined;

/** The shared built-in classifier; never handed out, so nobody can retrain it. */
function builtInClassifier(): SpamClassifier {
  builtIn ??= SpamClassifier.fromExamples(SPAM_CORPUS, HAM_CORPUS);
  return builtIn;
}

/**
 * A fresh classifier trained on the built-in corpus (lib/talk/spam-corpus.ts:
 * the two origin spam comments and the spam examples; the origin genuine
 * comments, pingbacks and the ham examples). Each call returns a new instance,
 * so callers may train it further.
 */
export function defaultClassifier(): SpamClassifier {
  return SpamClassifier.fromJSON(builtInClassifier().toJSON());
}
