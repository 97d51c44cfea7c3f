-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "joinchatCode" TEXT,
ADD COLUMN     "joinchatRecipientId" TEXT;

