/**
 * The languages kaohe speaks. Chinese is the default everywhere a person reads a message (the CLI,
 * explanations); English is available on request. The choice is passed per call, never set globally.
 */
export type Lang = "zh" | "en";

/** One message in both languages. */
export interface Bilingual {
  /** The Chinese text (the default). */
  readonly zh: string;
  /** The English twin, as exact. */
  readonly en: string;
}

/**
 * Picks the text of a {@link Bilingual} message for a language.
 *
 * @param lang - The language wanted; Chinese when omitted.
 * @param text - The message in both languages.
 * @returns The text in that language.
 */
export function pick(lang: Lang | undefined, text: Bilingual): string {
  return lang === "en" ? text.en : text.zh;
}
