-- CreateTable
CREATE TABLE "ProxyBinding" (
    "key" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProxyBinding_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ProxyBinding_expiresAt_idx" ON "ProxyBinding"("expiresAt");

