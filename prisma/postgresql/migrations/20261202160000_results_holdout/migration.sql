-- AlterTable
ALTER TABLE "Recovery" ADD COLUMN     "recallSentAt" TIMESTAMP(3),
ADD COLUMN     "strict" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "RecallGroup" (
    "shopDomain" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL,
    "orderId" TEXT,
    "total" TEXT,
    "currency" TEXT,
    "orderedAt" TIMESTAMP(3),

    CONSTRAINT "RecallGroup_pkey" PRIMARY KEY ("shopDomain","subjectKey")
);

-- CreateIndex
CREATE INDEX "RecallGroup_shopDomain_decidedAt_idx" ON "RecallGroup"("shopDomain", "decidedAt");

