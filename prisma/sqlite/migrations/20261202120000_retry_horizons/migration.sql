-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN "runAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "automation" TEXT NOT NULL,
    "recipientKey" TEXT NOT NULL,
    "customerId" TEXT,
    "message" TEXT NOT NULL,
    "tag" TEXT,
    "recipient" TEXT NOT NULL,
    "promotional" BOOLEAN NOT NULL DEFAULT false,
    "windowOpenedAt" DATETIME,
    "subjectKey" TEXT,
    "state" TEXT NOT NULL DEFAULT 'scheduled',
    "runAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 100,
    "lastError" TEXT,
    "sentBody" TEXT,
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "joinchatCode" TEXT,
    "joinchatRecipientId" TEXT,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "sentAt" DATETIME,
    "eventId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Delivery" ("attempts", "automation", "createdAt", "customerId", "eventId", "id", "joinchatCode", "joinchatRecipientId", "key", "lastError", "lockedAt", "lockedBy", "maxAttempts", "message", "promotional", "recipient", "recipientKey", "responseBody", "responseStatus", "runAt", "sentAt", "sentBody", "shopDomain", "state", "subjectKey", "tag", "updatedAt", "windowOpenedAt") SELECT "attempts", "automation", "createdAt", "customerId", "eventId", "id", "joinchatCode", "joinchatRecipientId", "key", "lastError", "lockedAt", "lockedBy", "maxAttempts", "message", "promotional", "recipient", "recipientKey", "responseBody", "responseStatus", "runAt", "sentAt", "sentBody", "shopDomain", "state", "subjectKey", "tag", "updatedAt", "windowOpenedAt" FROM "Delivery";
DROP TABLE "Delivery";
ALTER TABLE "new_Delivery" RENAME TO "Delivery";
CREATE UNIQUE INDEX "Delivery_key_key" ON "Delivery"("key");
CREATE INDEX "Delivery_state_runAt_idx" ON "Delivery"("state", "runAt");
CREATE INDEX "Delivery_shopDomain_createdAt_idx" ON "Delivery"("shopDomain", "createdAt");
CREATE INDEX "Delivery_shopDomain_subjectKey_idx" ON "Delivery"("shopDomain", "subjectKey");
CREATE INDEX "Delivery_recipientKey_createdAt_idx" ON "Delivery"("recipientKey", "createdAt");
CREATE INDEX "Delivery_shopDomain_customerId_idx" ON "Delivery"("shopDomain", "customerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "WebhookEvent_state_runAt_idx" ON "WebhookEvent"("state", "runAt");


-- Rows queued before retry horizons had the old backstop of 8 attempts: give them the new one.
UPDATE "Delivery" SET "maxAttempts" = 100 WHERE "maxAttempts" = 8;
