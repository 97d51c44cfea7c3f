-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "tokenLeaseBy" TEXT;
ALTER TABLE "Shop" ADD COLUMN "tokenLeaseUntil" DATETIME;

