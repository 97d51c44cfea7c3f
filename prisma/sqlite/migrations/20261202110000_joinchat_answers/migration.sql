-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "joinchatCode" TEXT;
ALTER TABLE "Delivery" ADD COLUMN "joinchatRecipientId" TEXT;

