/**
 * Talk-page spam checks, all local: text folding against obfuscation, a rule
 * set, and a small naive Bayes classifier trained on the built-in corpus
 * (lib/talk/spam-corpus.ts) plus whatever moderators mark.
 *
 * Holding is never dropping: a held post is stored and waits for a moderator.
 * The module is pure (no I/O); the built-in classifier is trained lazily once.
 * This file makes the decision; the folding, the rules and the classifier are
 * spam-fold.ts, spam-rules.ts and spam-classifier.ts.
 */
import { decodeHtmlEntities } from "@/lib/mdx/url";
import { builtInClassifier, type SpamClassifier } from "./spam-classifier";
import { disguises } from "./spam-fold";
import { countLinks, floodedWord, hostOf, matchForms, strongHits, URL_SHORTENERS, WEAK } from "./spam-rules";
import { firstShouting, hasCharacterRun, replaceTags } from "./text-scan";

export { foldForSpam } from "./spam-fold";
export { defaultClassifier, SpamClassifier } from "./spam-classifier";

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

  // Tags are removed by a scan: `/<[^>]*>/g` is quadratic on a run of `<` (or of `＜`, which folds to it).
  const prose = replaceTags(folded, " ").replace(/\b(?:https?:\/\/|www\.)\S+/g, " ");
  const words = prose.match(/[a-z]{3,}/g) ?? [];
  const flood = floodedWord(words);
  if (flood !== null) {
    weights.push(0.3);
    reasons.push(`word repeated: "${flood[0]}" ×${flood[1]}`);
  }
  if (hasCharacterRun(prose, 6)) {
    weights.push(0.2);
    reasons.push("characters repeated");
  }
  if (/[!?]{2,}/.test(prose)) {
    weights.push(0.08);
    reasons.push("repeated punctuation");
  }
  const shouting = firstShouting(replaceTags(input.text, " "));
  if (shouting !== null) {
    weights.push(0.1);
    reasons.push(`shouting: "${shouting}"`);
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
