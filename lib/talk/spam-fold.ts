/**
 * Folding text against obfuscation before the spam rules read it, and
 * spotting the disguises themselves (hidden characters, look-alike letters).
 */

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

const INVISIBLE_CHAR = new RegExp(`^${INVISIBLE.source}$`);
const LETTER = /^\p{L}$/u;

/** A run of invisible characters between two letters, found by a scan (not `\p{L}[…]+\p{L}`, whose classes overlap). */
function invisibleInsideWord(text: string): boolean {
  let previous = "";
  let inRun = false;
  let letterBefore = false;
  for (const ch of text) {
    if (INVISIBLE_CHAR.test(ch)) {
      if (!inRun) letterBefore = LETTER.test(previous);
      inRun = true;
    } else {
      if (inRun && letterBefore && LETTER.test(ch)) return true;
      inRun = false;
    }
    previous = ch;
  }
  return false;
}

/** Ways the text hides letters: invisible characters inside words, bidi controls, mixed scripts in a word. */
export function disguises(text: string): string[] {
  const found: string[] = [];
  if (invisibleInsideWord(text)) found.push("invisible characters inside words");
  if (new RegExp(BIDI.source).test(text)) found.push("text direction controls");
  const words = text.replace(INVISIBLE, "").match(/[\p{L}\p{M}]+/gu) ?? [];
  const mixed = words.some(
    (word) => /\p{Script=Latin}/u.test(word) && /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}]/u.test(word),
  );
  if (mixed) found.push("look-alike letters from other alphabets");
  if (/[\uFF21-\uFF3A\uFF41-\uFF5A]/.test(text)) found.push("full-width letters");
  return found;
}
