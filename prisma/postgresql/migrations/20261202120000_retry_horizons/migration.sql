-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "runAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Delivery" ALTER COLUMN "maxAttempts" SET DEFAULT 100;

-- CreateIndex
CREATE INDEX "WebhookEvent_state_runAt_idx" ON "WebhookEvent"("state", "runAt");


-- Rows queued before retry horizons had the old backstop of 8 attempts: give them the new one.
UPDATE "Delivery" SET "maxAttempts" = 100 WHERE "maxAttempts" = 8;
