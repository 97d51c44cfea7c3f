/** The languages a shop's messages go out in; every template has a default text in each. */
export const TEMPLATE_LANGUAGES = ["en", "zh"] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

/**
 * One text an automation sends, as its catalog entry declares it: where it lands (and so the
 * limit it is fitted to), what it may say ({{placeholders}}: what its builder passes in, and the
 * shop's name), and its default text in each language. A shop overrides the text in its settings.
 */
export type TemplateDeclaration = {
  /** How the admin's Templates tab names it: by where it shows in the message, not by its key. */
  label: string;
  /** JoinChat's limit of the field it lands in (src/messages/limits.ts). */
  limit: number;
  placeholders: readonly string[];
  /** A phrase rendered into other templates' text (one or several): a change to it checks those texts again. */
  landsIn?: string | readonly string[];
  /** The placeholder such a phrase fills in those texts, when it fills one alone: the texts are measured with it. */
  fills?: string;
} & Record<TemplateLanguage, string>;
