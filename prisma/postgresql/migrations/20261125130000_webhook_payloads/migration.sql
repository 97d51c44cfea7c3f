-- CreateTable
CREATE TABLE "WebhookPayload" (
    "eventId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,

    CONSTRAINT "WebhookPayload_pkey" PRIMARY KEY ("eventId")
);

-- Move stored payloads to their own table (written by hand: migrate diff does not copy data)
INSERT INTO "WebhookPayload" ("eventId", "payload") SELECT "id", "payload" FROM "WebhookEvent";

-- AlterTable
ALTER TABLE "WebhookEvent" DROP COLUMN "payload";
