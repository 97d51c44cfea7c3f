-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "reasonCode" TEXT;
ALTER TABLE "ClosedSubject" ADD COLUMN "reasonCode" TEXT;

-- Rows recorded before codes: their code from what was recorded.
UPDATE "Delivery" SET "reasonCode" = CASE
  WHEN "lastError" LIKE '%24-hour window has closed%' THEN 'window_closed'
  WHEN "lastError" LIKE 'past the 24-hour window: held%' THEN 'outside_window'
  WHEN "lastError" LIKE 'promotions paused: %' THEN 'promotions_paused'
  WHEN "lastError" LIKE '%automation was turned off in Settings before it was due%' THEN 'switched_off'
  WHEN "lastError" LIKE 'holdout: %' THEN 'holdout'
  WHEN "lastError" LIKE '%10010%' THEN 'unknown_recipient'
  WHEN "lastError" LIKE 'no answer from JoinChat%it may have reached%' THEN 'unanswered'
  WHEN "lastError" LIKE 'gave up after %' THEN 'gave_up'
  WHEN "lastError" LIKE '%no JoinChat page id and secret%' THEN 'no_credentials'
  WHEN "lastError" LIKE '%secret cannot be opened%' THEN 'secret_unreadable'
  WHEN "lastError" LIKE '%superseded by a newer checkout%' THEN 'superseded'
  WHEN "lastError" LIKE 'checkout completed%' OR "lastError" LIKE 'cart ordered%' THEN 'order_placed'
  WHEN "lastError" LIKE '%no payment reminder needed' THEN 'no_payment_needed'
  WHEN "lastError" = 'app uninstalled' THEN 'uninstalled'
  WHEN "lastError" LIKE 'message refused before sending%' THEN 'message_invalid'
  WHEN "lastError" LIKE '%signature does not match%' OR "lastError" LIKE '%answered 401%' THEN 'signature_refused'
  WHEN "lastError" LIKE '%answered 404%' THEN 'unknown_page'
  WHEN "lastError" LIKE 'JoinChat refused the message%' OR "lastError" LIKE '%answered 4__:%' THEN 'refused'
  WHEN "lastError" LIKE '%without its {"success": true}%' THEN 'not_joinchat'
END WHERE "lastError" IS NOT NULL;
UPDATE "ClosedSubject" SET "reasonCode" = CASE
  WHEN "reason" LIKE 'checkout completed%' OR "reason" LIKE 'cart ordered%' THEN 'order_placed'
  WHEN "reason" LIKE '%no payment reminder needed' THEN 'no_payment_needed'
END;
