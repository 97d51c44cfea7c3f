-- DropIndex
DROP INDEX "WebhookEvent_shopDomain_eventKey_key";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "shopWebhooksRemovedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "refreshToken" TEXT,
ADD COLUMN     "refreshTokenExpires" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "traces" TEXT;

-- CreateTable
CREATE TABLE "SubjectVersion" (
    "shopDomain" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "triggeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SubjectVersion_pkey" PRIMARY KEY ("shopDomain","subjectKey")
);

-- CreateTable
CREATE TABLE "RedactedCustomer" (
    "shopDomain" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "redactedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RedactedCustomer_pkey" PRIMARY KEY ("shopDomain","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shopDomain_topic_eventKey_key" ON "WebhookEvent"("shopDomain", "topic", "eventKey");

