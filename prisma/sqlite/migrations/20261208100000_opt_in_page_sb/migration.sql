-- AlterTable
ALTER TABLE "RecipientLink" ADD COLUMN "optInPage" TEXT;
