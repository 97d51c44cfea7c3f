-- CreateTable
CREATE TABLE "WebhookPayload" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "payload" TEXT NOT NULL
);

-- Move stored payloads to their own table (written by hand: migrate diff does not copy data)
INSERT INTO "WebhookPayload" ("eventId", "payload") SELECT "id", "payload" FROM "WebhookEvent";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebhookEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "webhookId" TEXT,
    "apiVersion" TEXT,
    "triggeredAt" TEXT,
    "customerId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "note" TEXT,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME
);
INSERT INTO "new_WebhookEvent" ("apiVersion", "attempts", "customerId", "eventKey", "id", "lockedAt", "lockedBy", "note", "processedAt", "receivedAt", "shopDomain", "state", "topic", "triggeredAt", "webhookId") SELECT "apiVersion", "attempts", "customerId", "eventKey", "id", "lockedAt", "lockedBy", "note", "processedAt", "receivedAt", "shopDomain", "state", "topic", "triggeredAt", "webhookId" FROM "WebhookEvent";
DROP TABLE "WebhookEvent";
ALTER TABLE "new_WebhookEvent" RENAME TO "WebhookEvent";
CREATE INDEX "WebhookEvent_state_receivedAt_idx" ON "WebhookEvent"("state", "receivedAt");
CREATE INDEX "WebhookEvent_shopDomain_customerId_idx" ON "WebhookEvent"("shopDomain", "customerId");
CREATE UNIQUE INDEX "WebhookEvent_shopDomain_eventKey_key" ON "WebhookEvent"("shopDomain", "eventKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

