import type { Button, Message } from "./types";

/** A message drawn the way Messenger shows it: a bubble, its buttons below, cards side by side. */
export function MessengerPreview({ message }: { message: Message }) {
  return (
    <div className="mp-thread" data-testid="messenger-preview">
      {message.template_type === "text" && <div className="mp-bubble">{message.text}</div>}
      {message.template_type === "button" && (
        <div className="mp-card">
          <div className="mp-bubble mp-attached">{message.text}</div>
          <Buttons buttons={message.buttons} />
        </div>
      )}
      {(message.template_type === "generic" || message.template_type === "list") && (
        <div className="mp-carousel">
          {message.elements?.map((e, i) => (
            <div className="mp-card mp-element" key={i}>
              {e.image_url ? <img className="mp-image" src={e.image_url} alt="" /> : <div className="mp-image mp-noimage" />}
              <div className="mp-element-text">
                <div className="mp-title">{e.title}</div>
                {e.subtitle && <div className="mp-subtitle">{e.subtitle}</div>}
              </div>
              <Buttons buttons={e.buttons} />
            </div>
          ))}
        </div>
      )}
      {message.template_type === "receipt" && (
        <div className="mp-card mp-receipt">
          <div className="mp-title">Order confirmation</div>
          <div className="mp-subtitle">
            {message.recipient_name} · {message.order_number} · {message.payment_method}
          </div>
          {message.elements?.map((e, i) => (
            <div className="mp-receipt-row" key={i}>
              <span>
                {e.title}
                {e.quantity ? ` × ${e.quantity}` : ""}
              </span>
              <span>
                {e.price} {message.currency}
              </span>
            </div>
          ))}
          {message.adjustments?.map((a, i) => (
            <div className="mp-receipt-row" key={`a${i}`}>
              <span>{a.name}</span>
              <span>−{a.amount}</span>
            </div>
          ))}
          <div className="mp-receipt-row mp-total">
            <span>Total</span>
            <span>
              {message.summary?.total_cost} {message.currency}
            </span>
          </div>
        </div>
      )}
    </div>
  );
}

function Buttons({ buttons }: { buttons?: Button[] }) {
  if (!buttons?.length) return null;
  return (
    <div className="mp-buttons">
      {buttons.map((b, i) => (
        <div
          className={b.type === "postback" ? "mp-button mp-postback" : "mp-button"}
          key={i}
          title={b.type === "web_url" ? b.url : botTarget(b.payload)}
          data-testid={b.type === "postback" ? "bot-button" : undefined}
        >
          {b.title}
        </div>
      ))}
    </div>
  );
}

/** What a postback button starts, in words: "Starts block 12 of your JoinChat bot". */
function botTarget(payload: string | undefined): string | undefined {
  const m = /"(block|flow)_id"\s*:\s*(\d+)/.exec(payload ?? "");
  return m ? `Starts ${m[1]} ${m[2]} of your JoinChat bot` : undefined;
}
