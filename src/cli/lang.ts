import { pick, type Bilingual, type Lang } from "../internal/i18n";

export type { Bilingual, Lang };

/** A {@link Bilingual} message, written Chinese first. */
export function t(zh: string, en: string): Bilingual {
  return { zh, en };
}

/**
 * The language of the command line: `--lang` when given, otherwise English when the locale
 * (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them) is an English one, otherwise
 * Chinese. `C` and `POSIX` locales (the default of many servers) stay Chinese: the CLI's users are
 * Chinese offices, and a server's default locale says nothing about its reader.
 */
export function resolveLang(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = {}): Lang {
  if (flag === "zh" || flag === "en") return flag;
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== "");
  return locale !== undefined && /^en([_.@-]|$)/i.test(locale) ? "en" : "zh";
}

/** The text of a message in a language; a plain string (a file name, a number) passes unchanged. */
export function say(lang: Lang, text: Bilingual | string): string {
  return typeof text === "string" ? text : pick(lang, text);
}

/** The Chinese labels of the severities that rulebooks use, with their English twins. */
export const SEVERITY_LABEL: Readonly<Record<string, Bilingual>> = {
  high: t("严重", "high"),
  medium: t("一般", "medium"),
  low: t("提示", "low"),
};

/** A severity in the reader's language (unknown severities pass unchanged). */
export function severityLabel(lang: Lang, severity: string): string {
  const label = SEVERITY_LABEL[severity];
  return label ? pick(lang, label) : severity;
}

/** Counts in a language: `3 个问题` / `3 issues`. */
export function countIssues(lang: Lang, n: number): string {
  return lang === "en" ? `${n} issue${n === 1 ? "" : "s"}` : `${n} 个问题`;
}
