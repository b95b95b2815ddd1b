-- CreateEnum
CREATE TYPE "ReviewCampaignState" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('KEEP', 'REVOKE', 'CHANGE');

-- AlterTable
ALTER TABLE "PortalGrant" ADD COLUMN     "accessCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastAccessAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ReviewCampaign" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" JSONB NOT NULL DEFAULT '{}',
    "createdById" TEXT NOT NULL,
    "sponsorId" TEXT,
    "deadline" TIMESTAMP(3) NOT NULL,
    "autoRevoke" BOOLEAN NOT NULL DEFAULT true,
    "state" "ReviewCampaignState" NOT NULL DEFAULT 'OPEN',
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "ReviewCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewItem" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "ownerId" TEXT,
    "sponsorId" TEXT,
    "classification" TEXT,
    "expiresAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3),
    "accessCount" INTEGER,
    "decision" "ReviewDecision",
    "reason" TEXT,
    "change" JSONB,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "lastRemindedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewCampaign_orgId_state_createdAt_idx" ON "ReviewCampaign"("orgId", "state", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewCampaign_state_deadline_idx" ON "ReviewCampaign"("state", "deadline");

-- CreateIndex
CREATE INDEX "ReviewItem_campaignId_decidedAt_idx" ON "ReviewItem"("campaignId", "decidedAt");

-- CreateIndex
CREATE INDEX "ReviewItem_ownerId_decidedAt_idx" ON "ReviewItem"("ownerId", "decidedAt");

-- CreateIndex
CREATE INDEX "ReviewItem_sponsorId_decidedAt_idx" ON "ReviewItem"("sponsorId", "decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewItem_campaignId_kind_grantId_key" ON "ReviewItem"("campaignId", "kind", "grantId");

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "ReviewCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The access-review listing (lib/reviews/grants.ts) reads the active rows of each kind of grant of one
-- organisation, newest first: partial indexes that hold only those rows (Prisma cannot express them).
CREATE INDEX "Share_review_active_idx" ON "Share"("orgId", "createdAt" DESC, "id" DESC) WHERE "state" = 'ACTIVE';
CREATE INDEX "PortalGrant_review_active_idx" ON "PortalGrant"("orgId", "createdAt" DESC, "id" DESC) WHERE "state" = 'ACTIVE';
CREATE INDEX "Guest_review_active_idx" ON "Guest"("orgId", "createdAt" DESC, "id" DESC) WHERE "disabledAt" IS NULL AND "kind" <> 'ANONYMOUS';
CREATE INDEX "GuestSession_review_live_idx" ON "GuestSession"("expiresAt") WHERE "revokedAt" IS NULL;
CREATE INDEX "GuestDevice_review_approved_idx" ON "GuestDevice"("orgId", "createdAt" DESC, "id" DESC) WHERE "status" = 'APPROVED';
