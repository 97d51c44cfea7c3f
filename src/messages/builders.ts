import { LIMITS, type MessageTag } from "./limits";
import type {
  Button,
  ButtonMessage,
  GenericElement,
  GenericMessage,
  ListElement,
  ListMessage,
  Message,
  PostbackButton,
  ReceiptMessage,
  Recipient,
  SendBody,
  TextMessage,
  UrlButton,
} from "./schema";
import { fitText } from "./text";

/**
 * Typed builders for every template, so handlers never write raw JSON. Free text (titles,
 * subtitles, texts) is fitted to its limit at a grapheme boundary; counts (buttons, elements) are
 * not cut here: a body with too many is refused by validation, naming the rule.
 */

/** Title fitted to 80, subtitle (when given) fitted to 80; everything else kept as passed. */
function fitElement<E extends { title: string; subtitle?: string }>(e: E): E {
  return {
    ...e,
    title: fitText(e.title, LIMITS.elementTitleChars),
    ...(e.subtitle !== undefined ? { subtitle: fitText(e.subtitle, LIMITS.elementSubtitleChars) } : {}),
  };
}

export function textMessage(text: string): TextMessage {
  return { template_type: "text", text: fitText(text, LIMITS.textChars) };
}

export function urlButton(title: string, url: string, opts: Pick<UrlButton, "webview_height_ratio" | "messenger_extensions" | "fallback_url"> = {}): UrlButton {
  return { type: "web_url", url, title: fitText(title, LIMITS.buttonTitleChars), ...opts };
}

export function postbackButton(title: string, payload: string): PostbackButton {
  return { type: "postback", title: fitText(title, LIMITS.buttonTitleChars), payload };
}

/** A button that starts a block or a flow of the page's JoinChat bot (payload `{"block_id":N}` or `{"flow_id":N}`). */
export function botButton(title: string, start: "block" | "flow", id: number): PostbackButton {
  return postbackButton(title, JSON.stringify(start === "block" ? { block_id: id } : { flow_id: id }));
}

export function buttonMessage(text: string, buttons: Button[], opts: { sharable?: boolean } = {}): ButtonMessage {
  return { template_type: "button", text: fitText(text, LIMITS.textChars), buttons, ...opts };
}

export function genericElement(e: GenericElement): GenericElement {
  return fitElement(e);
}

export function genericMessage(elements: GenericElement[], opts: Pick<GenericMessage, "image_aspect_ratio" | "sharable"> = {}): GenericMessage {
  return { template_type: "generic", elements, ...opts };
}

export function listElement(e: ListElement): ListElement {
  return fitElement(e);
}

export function listMessage(elements: ListElement[], opts: Pick<ListMessage, "top_element_style" | "buttons" | "sharable"> = {}): ListMessage {
  return { template_type: "list", elements, ...opts };
}

/** A receipt; element titles and subtitles are fitted to 80 characters. */
export function receiptMessage(r: Omit<ReceiptMessage, "template_type">): ReceiptMessage {
  return { ...r, template_type: "receipt", ...(r.elements ? { elements: r.elements.map(fitElement) } : {}) };
}

/** The whole send_message body; `tag` and `delay` appear only when given. */
export function sendBody(b: { pageId: string; recipient: Recipient; message: Message; tag?: MessageTag; delay?: number }): SendBody {
  return {
    page_id: b.pageId,
    recipient: b.recipient,
    message: b.message,
    ...(b.tag !== undefined ? { tag: b.tag } : {}),
    ...(b.delay !== undefined ? { delay: b.delay } : {}),
  };
}
