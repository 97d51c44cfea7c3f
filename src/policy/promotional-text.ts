/**
 * Whether a text reads as a promotion. Meta forbids promotional content in any message sent past
 * the 24-hour window with a tag, so a transactional template (shipping, delivery, payment
 * reminder) must say nothing of offers: the admin refuses to save one that does, and the worker
 * refuses to tag a message that does (src/policy/send-decision.ts).
 *
 * Every language the app speaks is read in every text: a shop's texts mix them (an English
 * "SALE" in a Chinese text), and Chinese words cannot occur by chance in an English one.
 *
 * Deliberately not promotional (each a false positive we met or foresaw):
 * - words that merely contain one ("wholesale", "Salem", "dealt", "offering", "折叠");
 * - "discounted", "sales tax", "point of sale", "deal with": they describe an order, not an offer;
 * - order names ("#SALE-1001"): a `#` token is the shop's order number, whatever its letters;
 * - "100% cotton": a percentage is an offer only with "off" or "discount" after it;
 * - `except`: the shop's own name ("Super Deals Ltd"), which every message may carry.
 */
import type { Message } from "../messages/schema";

/** A coupon's or reward's placeholder: what only a promotion carries. */
const PROMOTIONAL_PLACEHOLDER = /\{\{\s*(?:coupon_code|rewards|points|store_credit)\s*\}\}/gi;

const CURRENCY = String.raw`(?:[$€£¥]|usd|eur|gbp|cad|aud|hkd|rmb|cny)`;
const AMOUNT = String.raw`\d+(?:[.,]\d+)?`;

/** English: whole words and phrases, case-insensitive. */
const ENGLISH = [
  String.raw`coupons?`,
  String.raw`discounts?(?!ed)`,
  String.raw`promo(?:tion(?:al|s)?|s)?(?:\s+codes?)?`,
  String.raw`vouchers?`,
  String.raw`(?:flash\s+)?sales?(?!\s+tax)`,
  String.raw`clearance`,
  String.raw`deals?(?!\s+with)`,
  String.raw`bogo`,
  String.raw`buy\s+one,?\s+get\s+one`,
  String.raw`half\s+(?:price|off)`,
  String.raw`free\s+(?:shipping|delivery|gift|samples?)`,
  String.raw`(?:special|exclusive|limited(?:[\s-]+time)?)\s+offers?`,
  String.raw`limited[\s-]+time`,
  String.raw`black\s+friday`,
  String.raw`cyber\s+monday`,
  String.raw`shop\s+now`,
  String.raw`(?:use|with|enter|apply)\s+(?:the\s+)?code`,
  String.raw`save\s+(?:up\s+to\s+)?(?:${AMOUNT}|${CURRENCY})`,
  String.raw`${AMOUNT}\s*(?:%|percent|per\s+cent)\s*(?:off|discount)`,
  String.raw`${CURRENCY}\s*${AMOUNT}\s+off`,
  String.raw`${AMOUNT}\s*${CURRENCY}\s+off`,
  String.raw`off\s+your\s+(?:next\s+)?(?:order|purchase)`,
  // Codes as shops name them: an offer's word and a figure ("SAVE30", "WELCOME10", "TAKE15").
  String.raw`(?:save|take|get|extra|welcome|sale|deal|promo|off|free|vip|flash|bf|cyber|xmas|summer|winter|spring|fall|holiday)\d{1,3}`,
];
// `sale` is excluded after "point of" separately: a lookbehind keeps the word's own match simple.
const ENGLISH_PATTERN = new RegExp(String.raw`(?<![\p{L}\p{N}#_-])(?<!point\s+of\s+)(?:${ENGLISH.join("|")})(?![\p{L}\p{N}_])`, "giu");

/** Chinese: words, no spaces between them. Numbers before 折 ("8折", "八折") are a discount. */
const CHINESE = [
  "优惠码",
  "优惠券",
  "优惠",
  "折扣",
  "打折",
  "[0-9一二三四五六七八九]\\s*折",
  "促销",
  "特价",
  "秒杀",
  "满减",
  "立减",
  "包邮",
  "免运费",
  "清仓",
  "代金券",
  "抢购",
  "返现",
  "买一送一",
  "赠品",
  "领券",
  "大促",
];
const CHINESE_PATTERN = new RegExp(CHINESE.join("|"), "gu");

/** An order name (`#` and what follows it): read as the order's number, never as words. */
const ORDER_NAME = /#[\p{L}\p{N}_.-]+/gu;

/**
 * The promotional words and placeholders in `text`, as written, each once (first seen first);
 * none for a text that says nothing of an offer. `except`: texts not to read (the shop's name).
 */
export function promotionalWords(text: string, except: readonly string[] = []): string[] {
  let plain = text;
  for (const name of except) if (name) plain = plain.split(name).join(" ");
  const found = [...plain.matchAll(PROMOTIONAL_PLACEHOLDER)].map((m) => m[0]);
  plain = plain.replace(PROMOTIONAL_PLACEHOLDER, " ").replace(ORDER_NAME, " ");
  for (const pattern of [ENGLISH_PATTERN, CHINESE_PATTERN]) for (const m of plain.matchAll(pattern)) found.push(m[0].replace(/\s+/g, " "));
  const seen = new Set<string>();
  return found.filter((w) => !seen.has(w.toLowerCase()) && seen.add(w.toLowerCase()));
}

/**
 * The texts of a message a shop's templates wrote: a text or button message's text and button
 * titles, a carousel's titles and subtitles. A receipt has none: it is built from the order itself
 * (its discount lines name the codes the buyer used, which is what the order says, not an offer).
 */
export function templatedTexts(message: Message): string[] {
  const buttonTitles = (buttons: readonly { title: string }[] | undefined) => (buttons ?? []).map((b) => b.title);
  switch (message.template_type) {
    case "text":
      return [message.text];
    case "button":
      return [message.text, ...buttonTitles(message.buttons)];
    case "generic":
      return message.elements.flatMap((e) => [e.title, e.subtitle ?? "", ...buttonTitles(e.buttons)]);
    case "list":
      return [...message.elements.flatMap((e) => [e.title, e.subtitle ?? "", ...buttonTitles(e.buttons)]), ...buttonTitles(message.buttons)];
    default:
      return [];
  }
}

/** Why a text that reads as a promotion may not go where it would: the merchant's words, with what to do. */
export function promotionalRefusal(words: readonly string[]): string {
  return `looks promotional (${words.map((w) => `"${w}"`).join(", ")}): Meta forbids promotions in messages that may go past the 24-hour window; keep this message about the order`;
}
