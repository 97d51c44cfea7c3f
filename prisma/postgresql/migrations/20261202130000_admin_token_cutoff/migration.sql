-- CreateTable
CREATE TABLE "AdminTokenCutoff" (
    "shopDomain" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdminTokenCutoff_pkey" PRIMARY KEY ("shopDomain")
);

