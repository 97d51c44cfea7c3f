-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "tokenLeaseBy" TEXT,
ADD COLUMN     "tokenLeaseUntil" TIMESTAMP(3);

