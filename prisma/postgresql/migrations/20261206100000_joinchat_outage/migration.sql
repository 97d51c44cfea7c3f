-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "unanswered" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "JoinChatOutage" (
    "id" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT NOT NULL,
    "lastProbeAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JoinChatOutage_pkey" PRIMARY KEY ("id")
);

