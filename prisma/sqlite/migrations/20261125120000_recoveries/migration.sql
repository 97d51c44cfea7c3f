-- CreateTable
CREATE TABLE "Recovery" (
    "shopDomain" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "subjectKey" TEXT NOT NULL,
    "total" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "recoveredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopDomain", "orderId")
);

-- CreateIndex
CREATE INDEX "Recovery_shopDomain_recoveredAt_idx" ON "Recovery"("shopDomain", "recoveredAt");

