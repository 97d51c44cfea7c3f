-- DropIndex
DROP INDEX "WebhookEvent_shopDomain_eventKey_key";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "shopWebhooksRemovedAt" DATETIME;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN "refreshToken" TEXT;
ALTER TABLE "Session" ADD COLUMN "refreshTokenExpires" DATETIME;

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN "traces" TEXT;

-- CreateTable
CREATE TABLE "SubjectVersion" (
    "shopDomain" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "triggeredAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopDomain", "subjectKey")
);

-- CreateTable
CREATE TABLE "RedactedCustomer" (
    "shopDomain" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "redactedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopDomain", "key")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shopDomain_topic_eventKey_key" ON "WebhookEvent"("shopDomain", "topic", "eventKey");

