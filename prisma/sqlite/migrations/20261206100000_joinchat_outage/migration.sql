-- AlterTable (SQLite adds a column with a constant default in place: no table rebuild)
ALTER TABLE "Delivery" ADD COLUMN "unanswered" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "JoinChatOutage" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "since" DATETIME NOT NULL,
    "lastError" TEXT NOT NULL,
    "lastProbeAt" DATETIME NOT NULL
);
