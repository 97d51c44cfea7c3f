-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "timezone" TEXT;

-- AlterTable. Orders recorded before payment was told apart counted as recovered, and stay counted.
ALTER TABLE "Recovery" ADD COLUMN     "paidAt" TIMESTAMP(3),
ADD COLUMN     "clickedAt" TIMESTAMP(3);
UPDATE "Recovery" SET "paidAt" = "recoveredAt";

-- CreateTable
CREATE TABLE "MessageClick" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "automation" TEXT NOT NULL,
    "link" INTEGER NOT NULL,
    "recipientKey" TEXT NOT NULL,
    "customerId" TEXT,
    "clickedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageClick_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MessageClick_shopDomain_clickedAt_idx" ON "MessageClick"("shopDomain", "clickedAt");
CREATE INDEX "MessageClick_deliveryId_idx" ON "MessageClick"("deliveryId");
CREATE INDEX "MessageClick_recipientKey_clickedAt_idx" ON "MessageClick"("recipientKey", "clickedAt");
CREATE INDEX "MessageClick_shopDomain_customerId_idx" ON "MessageClick"("shopDomain", "customerId");
