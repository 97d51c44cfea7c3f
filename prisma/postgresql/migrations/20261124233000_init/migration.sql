-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "pageId" TEXT,
    "joinchatSecretEnc" TEXT,
    "couponCode" TEXT,
    "abandonedDelays" TEXT NOT NULL DEFAULT '60,480,1380',
    "settings" TEXT NOT NULL DEFAULT '{}',
    "installedAt" TIMESTAMP(3),
    "uninstalledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "webhookId" TEXT,
    "apiVersion" TEXT,
    "triggeredAt" TEXT,
    "customerId" TEXT,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "note" TEXT,
    "lockedAt" TIMESTAMP(3),
    "lockedBy" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecipientLink" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "source" TEXT NOT NULL DEFAULT 'proxy',
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecipientLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "automation" TEXT NOT NULL,
    "recipientKey" TEXT NOT NULL,
    "customerId" TEXT,
    "message" TEXT NOT NULL,
    "tag" TEXT,
    "recipient" TEXT NOT NULL,
    "promotional" BOOLEAN NOT NULL DEFAULT false,
    "windowOpenedAt" TIMESTAMP(3),
    "subjectKey" TEXT,
    "state" TEXT NOT NULL DEFAULT 'scheduled',
    "runAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "lastError" TEXT,
    "sentBody" TEXT,
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "lockedAt" TIMESTAMP(3),
    "lockedBy" TEXT,
    "sentAt" TIMESTAMP(3),
    "eventId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "customerId" TEXT,
    "report" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClosedSubject" (
    "shopDomain" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "closedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClosedSubject_pkey" PRIMARY KEY ("shopDomain","subjectKey")
);

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookEvent_state_receivedAt_idx" ON "WebhookEvent"("state", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_shopDomain_customerId_idx" ON "WebhookEvent"("shopDomain", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shopDomain_eventKey_key" ON "WebhookEvent"("shopDomain", "eventKey");

-- CreateIndex
CREATE INDEX "RecipientLink_shopDomain_customerId_idx" ON "RecipientLink"("shopDomain", "customerId");

-- CreateIndex
CREATE INDEX "RecipientLink_shopDomain_email_idx" ON "RecipientLink"("shopDomain", "email");

-- CreateIndex
CREATE INDEX "RecipientLink_shopDomain_phone_idx" ON "RecipientLink"("shopDomain", "phone");

-- CreateIndex
CREATE UNIQUE INDEX "RecipientLink_shopDomain_uuid_key" ON "RecipientLink"("shopDomain", "uuid");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_key_key" ON "Delivery"("key");

-- CreateIndex
CREATE INDEX "Delivery_state_runAt_idx" ON "Delivery"("state", "runAt");

-- CreateIndex
CREATE INDEX "Delivery_shopDomain_createdAt_idx" ON "Delivery"("shopDomain", "createdAt");

-- CreateIndex
CREATE INDEX "Delivery_shopDomain_subjectKey_idx" ON "Delivery"("shopDomain", "subjectKey");

-- CreateIndex
CREATE INDEX "Delivery_recipientKey_createdAt_idx" ON "Delivery"("recipientKey", "createdAt");

-- CreateIndex
CREATE INDEX "Delivery_shopDomain_customerId_idx" ON "Delivery"("shopDomain", "customerId");

-- CreateIndex
CREATE INDEX "DataRequest_shopDomain_idx" ON "DataRequest"("shopDomain");

