-- AlterTable (SQLite adds a column with a constant default in place: no table rebuild)
ALTER TABLE "Recovery" ADD COLUMN "strict" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Recovery" ADD COLUMN "recallSentAt" DATETIME;

-- CreateTable
CREATE TABLE "RecallGroup" (
    "shopDomain" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "decidedAt" DATETIME NOT NULL,
    "orderId" TEXT,
    "total" TEXT,
    "currency" TEXT,
    "orderedAt" DATETIME,

    PRIMARY KEY ("shopDomain", "subjectKey")
);

-- CreateIndex
CREATE INDEX "RecallGroup_shopDomain_decidedAt_idx" ON "RecallGroup"("shopDomain", "decidedAt");
