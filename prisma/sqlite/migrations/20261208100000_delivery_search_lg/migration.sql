-- The delivery log found by order and by customer (src/store/sql/page-deliveries.ts).
ALTER TABLE "Delivery" ADD COLUMN "orderName" TEXT;
ALTER TABLE "Delivery" ADD COLUMN "search" TEXT;

-- CreateIndex
CREATE INDEX "Delivery_shopDomain_state_createdAt_idx" ON "Delivery"("shopDomain", "state", "createdAt");

-- CreateIndex
CREATE INDEX "Delivery_shopDomain_orderName_idx" ON "Delivery"("shopDomain", "orderName");
