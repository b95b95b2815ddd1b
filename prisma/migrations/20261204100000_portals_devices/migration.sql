-- Branded portals (issue 5): branding, sections of documents, grants to guests, domains and groups,
-- custom domains verified by DNS TXT, host-bound sessions, page timing for analytics, and guest device
-- keys for device-bound grants.

-- CreateEnum
CREATE TYPE "DeviceStatus" AS ENUM ('PENDING', 'APPROVED', 'REVOKED');

-- DropIndex
DROP INDEX "Portal_orgId_slug_key";

-- DropIndex
DROP INDEX "PortalDomain_hostname_key";

-- AlterTable
ALTER TABLE "Share" ADD COLUMN     "requireDevice" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "GuestSession" ADD COLUMN     "host" TEXT,
ADD COLUMN     "lastPage" INTEGER,
ADD COLUMN     "lastPageAt" TIMESTAMP(3),
ADD COLUMN     "lastPageVersionId" TEXT,
ADD COLUMN     "portalEpoch" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "GuestPageView" ADD COLUMN     "dwellMs" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Portal" DROP COLUMN "branding",
ADD COLUMN     "accentColor" TEXT NOT NULL DEFAULT '#b4471f',
ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "footer" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "logo" BYTEA,
ADD COLUMN     "logoMediaType" TEXT,
ADD COLUMN     "logoUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "primaryColor" TEXT NOT NULL DEFAULT '#1f3a5f',
ADD COLUMN     "revocationEpoch" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "supportEmail" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL,
ADD COLUMN     "welcome" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "PortalDomain" ADD COLUMN     "challenge" TEXT NOT NULL,
ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "orgId" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "PortalSection" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "PortalSectionDocument" (
    "sectionId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalSectionDocument_pkey" PRIMARY KEY ("sectionId","documentId")
);

-- CreateTable
CREATE TABLE "PortalGrant" (
    "id" TEXT NOT NULL,
    "portalId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "createdById" TEXT,
    "emails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "domains" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "partnerOrgId" TEXT,
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allSections" BOOLEAN NOT NULL DEFAULT false,
    "permission" "Permission" NOT NULL DEFAULT 'VIEW',
    "allowDownload" BOOLEAN NOT NULL DEFAULT false,
    "allowPrint" BOOLEAN NOT NULL DEFAULT false,
    "watermark" BOOLEAN NOT NULL DEFAULT true,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "termsVersionId" TEXT,
    "allowedIpRanges" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allowedCountries" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allowedDevices" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "requireDevice" BOOLEAN NOT NULL DEFAULT false,
    "state" "ShareState" NOT NULL DEFAULT 'ACTIVE',
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PortalGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortalGrantSection" (
    "grantId" TEXT NOT NULL,
    "sectionId" TEXT NOT NULL,

    CONSTRAINT "PortalGrantSection_pkey" PRIMARY KEY ("grantId","sectionId")
);

-- CreateTable
CREATE TABLE "GuestDevice" (
    "id" TEXT NOT NULL,
    "guestId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "thumbprint" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "status" "DeviceStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "GuestDevice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PortalSectionDocument_documentId_idx" ON "PortalSectionDocument"("documentId");

-- CreateIndex
CREATE INDEX "PortalGrant_portalId_state_idx" ON "PortalGrant"("portalId", "state");

-- CreateIndex
CREATE INDEX "PortalGrantSection_sectionId_idx" ON "PortalGrantSection"("sectionId");

-- CreateIndex
CREATE INDEX "GuestDevice_orgId_status_idx" ON "GuestDevice"("orgId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "GuestDevice_guestId_thumbprint_key" ON "GuestDevice"("guestId", "thumbprint");

-- CreateIndex
CREATE INDEX "GuestSession_portalId_idx" ON "GuestSession"("portalId");

-- CreateIndex
CREATE UNIQUE INDEX "Portal_slug_key" ON "Portal"("slug");

-- CreateIndex
CREATE INDEX "Portal_orgId_idx" ON "Portal"("orgId");

-- CreateIndex
CREATE INDEX "PortalDomain_hostname_idx" ON "PortalDomain"("hostname");

-- CreateIndex
CREATE UNIQUE INDEX "PortalDomain_portalId_hostname_key" ON "PortalDomain"("portalId", "hostname");

-- CreateIndex
CREATE INDEX "PortalSection_portalId_idx" ON "PortalSection"("portalId");

-- AddForeignKey
ALTER TABLE "PortalSectionDocument" ADD CONSTRAINT "PortalSectionDocument_sectionId_fkey" FOREIGN KEY ("sectionId") REFERENCES "PortalSection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalSectionDocument" ADD CONSTRAINT "PortalSectionDocument_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalGrant" ADD CONSTRAINT "PortalGrant_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalGrant" ADD CONSTRAINT "PortalGrant_partnerOrgId_fkey" FOREIGN KEY ("partnerOrgId") REFERENCES "PartnerOrg"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalGrant" ADD CONSTRAINT "PortalGrant_termsVersionId_fkey" FOREIGN KEY ("termsVersionId") REFERENCES "TermsVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalGrantSection" ADD CONSTRAINT "PortalGrantSection_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "PortalGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalGrantSection" ADD CONSTRAINT "PortalGrantSection_sectionId_fkey" FOREIGN KEY ("sectionId") REFERENCES "PortalSection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuestDevice" ADD CONSTRAINT "GuestDevice_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one verified claim per hostname: a second organisation (or portal) can claim a host, but
-- it serves only once its own TXT value is there and the earlier claim has lost its record.
CREATE UNIQUE INDEX "PortalDomain_verified_hostname_key" ON "PortalDomain"("hostname") WHERE "verifiedAt" IS NOT NULL;

-- Email codes prove an address for a share or for a portal.
-- AlterTable
ALTER TABLE "EmailCode" ADD COLUMN     "portalId" TEXT,
ALTER COLUMN "shareId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "EmailCode_portalId_email_createdAt_idx" ON "EmailCode"("portalId", "email", "createdAt");

-- AddForeignKey
ALTER TABLE "EmailCode" ADD CONSTRAINT "EmailCode_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "EmailCode" ADD CONSTRAINT "EmailCode_one_grant" CHECK (("shareId" IS NULL) <> ("portalId" IS NULL));
