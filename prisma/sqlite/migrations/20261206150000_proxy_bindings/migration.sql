-- CreateTable
CREATE TABLE "ProxyBinding" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "uuid" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ProxyBinding_expiresAt_idx" ON "ProxyBinding"("expiresAt");

