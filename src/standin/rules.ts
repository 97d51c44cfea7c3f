import { isLosslessNumber, parse, type LosslessNumber } from "lossless-json";

/**
 * JoinChat's body rules as the stand-in checks them, written from the vendor's page (see
 * JOINCHAT_API.md) and nothing of the app's: not its schema, its limits or its builders, so a
 * test that passes here means the app agrees with the page, not with itself. The body is read
 * with every number kept as its token, so types are checked as JSON has them: an amount written
 * as a string is refused, as the page types amounts Number.
 */

export interface Problem {
  field: string;
  rule: string;
}

type Json = null | boolean | string | LosslessNumber | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

// The page's tag list (2019), and the names Meta used after 2020 (ACCOUNT_UPDATE is in both).
const TAGS = new Set([
  "BUSINESS_PRODUCTIVITY",
  "COMMUNITY_ALERT",
  "CONFIRMED_EVENT_REMINDER",
  "NON_PROMOTIONAL_SUBSCRIPTION",
  "PAIRING_UPDATE",
  "APPLICATION_UPDATE",
  "ACCOUNT_UPDATE",
  "PAYMENT_UPDATE",
  "PERSONAL_FINANCE_UPDATE",
  "SHIPPING_UPDATE",
  "RESERVATION_UPDATE",
  "ISSUE_RESOLUTION",
  "APPOINTMENT_UPDATE",
  "GAME_EVENT",
  "TRANSPORTATION_UPDATE",
  "FEATURE_FUNCTIONALITY_UPDATE",
  "TICKET_UPDATE",
  "POST_PURCHASE_UPDATE",
  "CONFIRMED_EVENT_UPDATE",
]);

/**
 * The page: a postback payload is a string JoinChat reads as `{"block_id":N}` or `{"flow_id":N}`,
 * the block or flow of the bot a tap triggers. N is read as a positive whole JSON number.
 */
function botPayload(payload: string): boolean {
  let v: Json;
  try {
    v = readBody(payload);
  } catch {
    return false;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v) || isLosslessNumber(v)) return false;
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== "block_id" && keys[0] !== "flow_id")) return false;
  const id = v[keys[0]];
  return isLosslessNumber(id) && /^[1-9]\d*$/.test(id.value);
}

class Checker {
  readonly problems: Problem[] = [];
  fail(field: string, rule: string): false {
    this.problems.push({ field, rule });
    return false;
  }

  isObj(v: Json | undefined): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v) && !isLosslessNumber(v);
  }

  /** Only the listed keys; `required` among them must be there. */
  obj(v: Json | undefined, field: string, allowed: string[], required: string[] = []): v is Obj {
    if (!this.isObj(v)) return this.fail(field, "must be an object");
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail(`${field}.${k}`, "is not a field of this object");
    for (const k of required) if (v[k] === undefined) this.fail(`${field}.${k}`, "is required");
    return true;
  }

  /** A string of 1..max characters (Unicode code points), when present. */
  text(v: Json | undefined, field: string, max = Infinity, allowEmpty = false): void {
    if (v === undefined) return;
    if (typeof v !== "string") return void this.fail(field, "must be a string");
    const n = [...v].length;
    if (n === 0 && !allowEmpty) this.fail(field, "must not be empty");
    if (n > max) this.fail(field, `at most ${max} characters`);
  }

  bool(v: Json | undefined, field: string): void {
    if (v !== undefined && typeof v !== "boolean") this.fail(field, "must be true or false");
  }

  oneOf(v: Json | undefined, field: string, values: string[]): void {
    if (v !== undefined && (typeof v !== "string" || !values.includes(v))) this.fail(field, `must be one of ${values.join(", ")}`);
  }

  /** A JSON number; `decimals` caps digits after the dot ("valid, well-formatted decimal numbers with a dot"). */
  number(v: Json | undefined, field: string, o: { integer?: boolean; min?: number; max?: number } = {}): void {
    if (v === undefined) return;
    if (!isLosslessNumber(v)) return void this.fail(field, "must be a number");
    const token = v.value;
    if (o.integer ? !/^-?\d+$/.test(token) : !/^-?\d+(\.\d{1,3})?$/.test(token)) {
      return void this.fail(field, o.integer ? "must be a whole number" : "must be a decimal number with a dot and at most 3 decimals");
    }
    const n = Number(token);
    if (o.min !== undefined && n < o.min) this.fail(field, `at least ${o.min}`);
    if (o.max !== undefined && n > o.max) this.fail(field, `at most ${o.max}`);
  }

  /** An absolute http(s) URL, percent-encoded (no spaces or characters outside ASCII). */
  url(v: Json | undefined, field: string): void {
    if (v === undefined) return;
    if (typeof v !== "string") return void this.fail(field, "must be a string");
    if (!/^https?:\/\/[\x21-\x7e]+$/i.test(v)) return void this.fail(field, "must be an absolute http(s) URL, percent-encoded");
    try {
      new URL(v);
    } catch {
      this.fail(field, "must be a URL");
    }
  }

  array(v: Json | undefined, field: string, min: number, max: number): v is Json[] {
    if (!Array.isArray(v)) return this.fail(field, "must be an array");
    if (v.length < min) this.fail(field, `at least ${min}`);
    if (v.length > max) this.fail(field, `at most ${max}`);
    return true;
  }

  urlButtonFields(b: Obj, field: string): void {
    this.url(b.url, `${field}.url`);
    this.oneOf(b.webview_height_ratio, `${field}.webview_height_ratio`, ["compact", "tall", "full"]);
    this.bool(b.messenger_extensions, `${field}.messenger_extensions`);
    this.url(b.fallback_url, `${field}.fallback_url`);
  }

  button(b: Json, field: string): void {
    if (!this.isObj(b)) return void this.fail(field, "must be an object");
    if (b.type === "web_url") {
      if (!this.obj(b, field, ["type", "url", "title", "webview_height_ratio", "messenger_extensions", "fallback_url"], ["url", "title"])) return;
      this.text(b.title, `${field}.title`, 20);
      this.urlButtonFields(b, field);
    } else if (b.type === "postback") {
      if (!this.obj(b, field, ["type", "title", "payload"], ["title", "payload"])) return;
      this.text(b.title, `${field}.title`, 20);
      this.text(b.payload, `${field}.payload`);
      if (typeof b.payload === "string" && b.payload !== "" && !botPayload(b.payload)) {
        this.fail(`${field}.payload`, 'must be the bot block or flow to start: {"block_id":N} or {"flow_id":N}');
      }
    } else this.fail(`${field}.type`, "must be web_url or postback");
  }

  buttons(v: Json | undefined, field: string, min: number, max: number): void {
    if (v === undefined) return;
    if (this.array(v, field, min, max)) v.forEach((b, i) => this.button(b, `${field}[${i}]`));
  }

  defaultAction(v: Json | undefined, field: string): void {
    if (v === undefined) return;
    if (!this.obj(v, field, ["type", "url", "webview_height_ratio", "messenger_extensions", "fallback_url"], ["type", "url"])) return;
    if (v.type !== "web_url") this.fail(`${field}.type`, "must be web_url");
    this.urlButtonFields(v, field);
  }

  /** An element of a generic (gallery) or list message. */
  element(e: Json, field: string, kind: "generic" | "list"): void {
    if (!this.obj(e, field, ["title", "subtitle", "image_url", "default_action", "buttons"], ["title"])) return;
    this.text(e.title, `${field}.title`, 80);
    this.text(e.subtitle, `${field}.subtitle`, 80);
    this.url(e.image_url, `${field}.image_url`);
    this.defaultAction(e.default_action, `${field}.default_action`);
    this.buttons(e.buttons, `${field}.buttons`, 1, kind === "generic" ? 3 : 1);
    const more = kind === "generic" ? [e.subtitle, e.image_url, e.default_action, e.buttons] : [e.subtitle, e.image_url];
    if (more.every((x) => x === undefined)) this.fail(field, kind === "generic" ? "needs a property besides the title" : "needs a subtitle or an image_url");
  }

  receipt(m: Obj): void {
    this.text(m.recipient_name, "message.recipient_name");
    this.text(m.order_number, "message.order_number");
    this.text(m.currency, "message.currency");
    this.text(m.payment_method, "message.payment_method");
    this.url(m.order_url, "message.order_url");
    if (m.timestamp !== undefined && (typeof m.timestamp !== "string" || !/^\d+$/.test(m.timestamp))) this.fail("message.timestamp", "must be seconds, as a string");
    this.bool(m.sharable, "message.sharable");
    if (
      m.address !== undefined &&
      this.obj(m.address, "message.address", ["street_1", "street_2", "city", "postal_code", "state", "country"], ["street_1", "city", "postal_code", "state", "country"])
    ) {
      const a = m.address;
      for (const k of ["street_1", "city", "postal_code", "state"]) this.text(a[k], `message.address.${k}`);
      this.text(a.street_2, "message.address.street_2", Infinity, true);
      if (a.country !== undefined && (typeof a.country !== "string" || !/^[A-Z]{2}$/.test(a.country))) this.fail("message.address.country", "must be a two-letter country code");
    }
    if (this.obj(m.summary, "message.summary", ["subtotal", "shipping_cost", "total_tax", "total_cost"], ["total_cost"])) {
      for (const k of ["subtotal", "shipping_cost", "total_tax", "total_cost"]) this.number(m.summary[k], `message.summary.${k}`);
    }
    if (m.adjustments !== undefined && this.array(m.adjustments, "message.adjustments", 0, Infinity)) {
      m.adjustments.forEach((a, i) => {
        if (!this.obj(a, `message.adjustments[${i}]`, ["name", "amount"], ["name", "amount"])) return;
        this.text(a.name, `message.adjustments[${i}].name`);
        this.number(a.amount, `message.adjustments[${i}].amount`);
      });
    }
    if (m.elements !== undefined && this.array(m.elements, "message.elements", 0, 100)) {
      m.elements.forEach((e, i) => {
        const f = `message.elements[${i}]`;
        if (!this.obj(e, f, ["title", "subtitle", "quantity", "price", "currency", "image_url"], ["title", "price"])) return;
        this.text(e.title, `${f}.title`);
        this.text(e.subtitle, `${f}.subtitle`);
        this.number(e.quantity, `${f}.quantity`, { integer: true, min: 0 });
        this.number(e.price, `${f}.price`);
        this.text(e.currency, `${f}.currency`);
        this.url(e.image_url, `${f}.image_url`);
      });
    }
  }

  message(m: Json | undefined): void {
    if (!this.isObj(m)) return void this.fail("message", "must be an object");
    const common = ["template_type", "sharable"];
    switch (m.template_type) {
      case "text":
        if (this.obj(m, "message", ["template_type", "text"], ["text"])) this.text(m.text, "message.text", 640);
        return;
      case "button":
        if (!this.obj(m, "message", [...common, "text", "buttons"], ["text", "buttons"])) return;
        this.text(m.text, "message.text", 640);
        this.buttons(m.buttons, "message.buttons", 1, 3);
        this.bool(m.sharable, "message.sharable");
        return;
      case "generic":
        if (!this.obj(m, "message", [...common, "image_aspect_ratio", "elements"], ["elements"])) return;
        this.oneOf(m.image_aspect_ratio, "message.image_aspect_ratio", ["horizontal", "square"]);
        if (this.array(m.elements, "message.elements", 1, 10)) m.elements.forEach((e, i) => this.element(e, `message.elements[${i}]`, "generic"));
        return;
      case "list":
        if (!this.obj(m, "message", [...common, "top_element_style", "elements", "buttons"], ["elements"])) return;
        this.oneOf(m.top_element_style, "message.top_element_style", ["compact", "large"]);
        if (this.array(m.elements, "message.elements", 2, 4)) m.elements.forEach((e, i) => this.element(e, `message.elements[${i}]`, "list"));
        this.buttons(m.buttons, "message.buttons", 1, 1);
        return;
      case "receipt":
        if (
          !this.obj(
            m,
            "message",
            [...common, "recipient_name", "order_number", "currency", "payment_method", "order_url", "timestamp", "address", "summary", "adjustments", "elements"],
            ["recipient_name", "order_number", "currency", "payment_method", "summary"],
          )
        )
          return;
        return this.receipt(m);
      default:
        this.fail("message.template_type", "must be text, button, generic, list or receipt");
    }
  }

  body(b: Json): void {
    if (!this.obj(b, "body", ["page_id", "recipient", "message", "tag", "delay"], ["page_id", "recipient", "message"])) return;
    if (b.page_id !== undefined) {
      const ok = (typeof b.page_id === "string" && /^\d+$/.test(b.page_id)) || (isLosslessNumber(b.page_id) && /^\d+$/.test(b.page_id.value));
      if (!ok) this.fail("page_id", "must be the page's numeric id");
    }
    if (this.obj(b.recipient, "recipient", ["id", "phone", "email", "uuid"])) {
      const given = Object.keys(b.recipient);
      if (given.length !== 1) this.fail("recipient", "exactly one of id, phone, email, uuid");
      for (const k of given) this.text(b.recipient[k], `recipient.${k}`);
    }
    this.message(b.message);
    if (b.tag !== undefined && (typeof b.tag !== "string" || !TAGS.has(b.tag))) this.fail("tag", "is not a message tag");
    this.number(b.delay, "delay", { integer: true, min: 0, max: 10 });
  }
}

/** The body's JSON, numbers as their tokens; throws SyntaxError when the bytes are not JSON. */
export function readBody(raw: string): Json {
  return parse(raw) as Json;
}

/** Every rule of the page the body breaks (empty when JoinChat would take it). */
export function checkBody(raw: string): Problem[] {
  const c = new Checker();
  c.body(readBody(raw));
  return c.problems;
}
