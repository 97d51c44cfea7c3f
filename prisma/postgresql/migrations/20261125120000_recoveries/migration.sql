-- CreateTable
CREATE TABLE "Recovery" (
    "shopDomain" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "subjectKey" TEXT NOT NULL,
    "total" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "recoveredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Recovery_pkey" PRIMARY KEY ("shopDomain","orderId")
);

-- CreateIndex
CREATE INDEX "Recovery_shopDomain_recoveredAt_idx" ON "Recovery"("shopDomain", "recoveredAt");

