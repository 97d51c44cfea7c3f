-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "timezone" TEXT;

-- AlterTable. Orders recorded before payment was told apart counted as recovered, and stay counted.
ALTER TABLE "Recovery" ADD COLUMN "paidAt" DATETIME;
ALTER TABLE "Recovery" ADD COLUMN "clickedAt" DATETIME;
UPDATE "Recovery" SET "paidAt" = "recoveredAt";

-- CreateTable
CREATE TABLE "MessageClick" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "automation" TEXT NOT NULL,
    "link" INTEGER NOT NULL,
    "recipientKey" TEXT NOT NULL,
    "customerId" TEXT,
    "clickedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "MessageClick_shopDomain_clickedAt_idx" ON "MessageClick"("shopDomain", "clickedAt");
CREATE INDEX "MessageClick_deliveryId_idx" ON "MessageClick"("deliveryId");
CREATE INDEX "MessageClick_recipientKey_clickedAt_idx" ON "MessageClick"("recipientKey", "clickedAt");
CREATE INDEX "MessageClick_shopDomain_customerId_idx" ON "MessageClick"("shopDomain", "customerId");
