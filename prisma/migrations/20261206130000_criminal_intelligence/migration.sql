-- CreateEnum
CREATE TYPE "CfrSourceReliability" AS ENUM ('A', 'B', 'C', 'D');

-- CreateEnum
CREATE TYPE "CfrContentValidity" AS ENUM ('CONFIRMED', 'PROBABLY_TRUE', 'DOUBTFUL', 'CANNOT_BE_JUDGED');

-- CreateEnum
CREATE TYPE "CfrReleaseKind" AS ENUM ('SHARE_GRANT', 'PORTAL_GRANT', 'VIEW', 'DOWNLOAD');

-- AlterTable
ALTER TABLE "Share" ADD COLUMN     "needToKnow" TEXT;

-- AlterTable
ALTER TABLE "PortalGrant" ADD COLUMN     "needToKnow" TEXT;

-- CreateTable
CREATE TABLE "CriminalIntelRecord" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "submittingAgency" TEXT NOT NULL,
    "sourceReliability" "CfrSourceReliability" NOT NULL,
    "contentValidity" "CfrContentValidity" NOT NULL,
    "criminalActivity" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "submittedById" TEXT,
    "submittedBy" TEXT NOT NULL,
    "lastValidatedAt" TIMESTAMP(3),
    "lastValidatedById" TEXT,
    "lastValidatedBy" TEXT,
    "reviewDueAt" TIMESTAMP(3) NOT NULL,
    "dueFlaggedAt" TIMESTAMP(3),
    "purgedAt" TIMESTAMP(3),
    "purgedById" TEXT,
    "purgedBy" TEXT,
    "purgeReason" TEXT,
    "purgedVersions" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CriminalIntelRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CriminalIntelRelease" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "versionId" TEXT,
    "versionNumber" INTEGER,
    "kind" "CfrReleaseKind" NOT NULL,
    "releasedById" TEXT,
    "releasedBy" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "guestId" TEXT,
    "partnerOrgId" TEXT,
    "partnerOrgName" TEXT,
    "shareId" TEXT,
    "portalId" TEXT,
    "portalGrantId" TEXT,
    "sessionId" TEXT,
    "needToKnow" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CriminalIntelRelease_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CriminalIntelRecord_documentId_key" ON "CriminalIntelRecord"("documentId");

-- CreateIndex
CREATE INDEX "CriminalIntelRecord_orgId_purgedAt_reviewDueAt_idx" ON "CriminalIntelRecord"("orgId", "purgedAt", "reviewDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "CriminalIntelRelease_dedupeKey_key" ON "CriminalIntelRelease"("dedupeKey");

-- CreateIndex
CREATE INDEX "CriminalIntelRelease_orgId_documentId_createdAt_idx" ON "CriminalIntelRelease"("orgId", "documentId", "createdAt");

-- AddForeignKey
ALTER TABLE "CriminalIntelRecord" ADD CONSTRAINT "CriminalIntelRecord_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriminalIntelRecord" ADD CONSTRAINT "CriminalIntelRecord_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

