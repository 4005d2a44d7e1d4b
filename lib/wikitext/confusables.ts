import unhomoglyph from "unhomoglyph";
import { findInvisible } from "@/lib/text";

/**
 * Look-alike detection for names and titles, after Unicode UTS #39 (Unicode
 * Security Mechanisms). The confusable prototypes are confusables.txt as
 * packaged by `unhomoglyph` (nodeca); script data is the JavaScript engine's
 * own (`\p{Script_Extensions=…}`, current with Node's ICU).
 */

/**
 * The UTS #39 skeleton of `text`: NFD, default-ignorable characters removed,
 * each character replaced by its prototype, NFD again. Two strings with the
 * same skeleton look alike ("Аdoption" with a Cyrillic А and "Adoption").
 * Linear in the length of `text`.
 */
export function skeleton(text: string): string {
  let visible = "";
  for (const ch of text.normalize("NFD")) if (!findInvisible(ch)) visible += ch;
  // One pass of a regular expression of single characters (each a confusable's source): linear.
  return unhomoglyph(visible).normalize("NFD");
}

/** The skeleton for names compared without regard to case (user names): lower-cased before and after. */
export function caselessSkeleton(text: string): string {
  // Skeleton first: a capital I is drawn like a lower-case l, which lower-casing first would hide (AIice, Alice).
  return skeleton(skeleton(text).toLowerCase()).toLowerCase();
}

// ISO 15924 codes of every script (Unicode 17); each compiled once, on first use.
const SCRIPTS =
  "Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Bhks Bopo Brah Brai Bugi Buhd Cakm Cans Cari Cham Cher Chrs Copt Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Geor Glag Gong Gonm Goth Gran Grek Gujr Gukh Guru Hang Hani Hano Hatr Hebr Hira Hluw Hmng Hmnp Hung Ital Java Kali Kana Kawi Khar Khmr Khoj Kits Knda Krai Kthi Lana Laoo Latn Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm Phag Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sidt Sind Sinh Sogd Sogo Sora Soyo Sund Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Tayo Telu Tfng Tglg Thaa Thai Tibt Tirh Tnsa Todr Tols Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb".split(
    " ",
  );
let compiled: { code: string; re: RegExp }[] | undefined;
const COMMON_OR_LATIN = /^[\p{scx=Zyyy}\p{scx=Zinh}\p{scx=Latn}]*$/u;
const COMMON = /[\p{scx=Zyyy}\p{scx=Zinh}]/u;

/** A character's Script_Extensions, with UTS #39's augmentation (Han, Kana and Hangul also count as Jpan, Kore, Hanb). */
function scriptsOf(ch: string): Set<string> {
  compiled ??= SCRIPTS.map((code) => ({ code, re: new RegExp(`^\\p{scx=${code}}$`, "u") }));
  const set = new Set<string>();
  for (const { code, re } of compiled) if (re.test(ch)) set.add(code);
  if (set.has("Hani")) ["Hanb", "Jpan", "Kore"].forEach((s) => set.add(s));
  if (set.has("Hira") || set.has("Kana")) set.add("Jpan");
  if (set.has("Hang")) set.add("Kore");
  if (set.has("Bopo")) set.add("Hanb");
  return set;
}

function intersect(sets: Set<string>[]): Set<string> | null {
  let acc: Set<string> | null = null;
  for (const s of sets) acc = acc === null ? new Set(s) : new Set([...acc].filter((x: string) => s.has(x)));
  return acc;
}

// Latin may be combined with another script only when that script's letters do not pass for Latin ones.
const LOOKS_LATIN = new Set(["Cyrl", "Grek", "Cher"]);

/**
 * Whether `text` mixes scripts in a way UTS #39's "moderately restrictive"
 * level refuses: one script (Common and Inherited characters go with any),
 * or Latin with Han and Japanese kana, Han and Bopomofo, Han and Hangul, or
 * Latin with one other script that is not Cyrillic, Greek or Cherokee. So
 * "Mоddy" (Latin with a Cyrillic о) is mixed-script; "Café", "Москва" and
 * "東京 Tower" are not. At most 171 tests per non-Latin character.
 */
export function isMixedScript(text: string): boolean {
  if (COMMON_OR_LATIN.test(text)) return false;
  const sets: Set<string>[] = [];
  for (const ch of text.normalize("NFD")) if (!COMMON.test(ch)) sets.push(scriptsOf(ch));
  const all = intersect(sets);
  if (all === null || all.size > 0) return false;
  const others = intersect(sets.filter((s) => !s.has("Latn")));
  if (others === null || others.size === 0) return true;
  return [...others].every((s) => LOOKS_LATIN.has(s));
}
