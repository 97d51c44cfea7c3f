-- CreateTable
CREATE TABLE "AdminTokenCutoff" (
    "shopDomain" TEXT NOT NULL PRIMARY KEY,
    "notBefore" DATETIME NOT NULL
);

