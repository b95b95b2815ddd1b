-- Guest identities (issue 4): share audiences, one-time email codes, invitations, registered and
-- federated guests, partner organisations' and the home organisation's identity providers.

-- CreateEnum
CREATE TYPE "ShareAudience" AS ENUM ('ANYONE_WITH_LINK', 'VERIFIED_EMAIL', 'INVITED');

-- CreateEnum
CREATE TYPE "InvitationState" AS ENUM ('PENDING', 'ACCEPTED', 'REVOKED');

-- AlterTable
ALTER TABLE "Share" ADD COLUMN "audience" "ShareAudience" NOT NULL DEFAULT 'ANYONE_WITH_LINK',
ADD COLUMN "allowedDomains" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "linkSealed" TEXT;
UPDATE "Share" SET "allowedDomains" = ARRAY[]::TEXT[] WHERE "allowedDomains" IS NULL;

-- AlterTable
ALTER TABLE "Guest" ADD COLUMN "passwordHash" TEXT,
ADD COLUMN "totpSecret" TEXT,
ADD COLUMN "totpLastStep" INTEGER,
ADD COLUMN "expiresAt" TIMESTAMP(3),
ADD COLUMN "disabledAt" TIMESTAMP(3),
ADD COLUMN "disabledReason" TEXT,
ADD COLUMN "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "lastSeenAt" TIMESTAMP(3),
ADD COLUMN "expiryRemindedAt" TIMESTAMP(3);
UPDATE "Guest" SET "groups" = ARRAY[]::TEXT[] WHERE "groups" IS NULL;

-- One registered guest per address and organisation, one email-verified guest per address and
-- organisation, one federated guest per partner subject. Partial, so anonymous guests are unaffected.
CREATE UNIQUE INDEX "Guest_registered_email_key" ON "Guest"("orgId", "email") WHERE "kind" = 'REGISTERED';
CREATE UNIQUE INDEX "Guest_verified_email_key" ON "Guest"("orgId", "email") WHERE "kind" = 'EMAIL_VERIFIED';
CREATE UNIQUE INDEX "Guest_federated_subject_key" ON "Guest"("partnerOrgId", "externalSubject") WHERE "kind" = 'FEDERATED';

-- AlterTable
ALTER TABLE "GuestSession" ADD COLUMN "authMethod" TEXT NOT NULL DEFAULT 'link',
ADD COLUMN "passwordVerified" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "PartnerOrg" ADD COLUMN "tlpCeiling" "Tlp",
ADD COLUMN "lawEnforcement" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "IdentityProvider" ALTER COLUMN "partnerOrgId" DROP NOT NULL,
ADD COLUMN "staffOrgId" TEXT,
ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE UNIQUE INDEX "IdentityProvider_staffOrgId_key" ON "IdentityProvider"("staffOrgId");
CREATE INDEX "IdentityProvider_partnerOrgId_idx" ON "IdentityProvider"("partnerOrgId");
ALTER TABLE "IdentityProvider" ADD CONSTRAINT "IdentityProvider_staffOrgId_fkey" FOREIGN KEY ("staffOrgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "EmailCode" (
    "id" TEXT NOT NULL,
    "shareId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EmailCode_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "EmailCode_shareId_email_createdAt_idx" ON "EmailCode"("shareId", "email", "createdAt");
ALTER TABLE "EmailCode" ADD CONSTRAINT "EmailCode_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "GuestInvitation" (
    "id" TEXT NOT NULL,
    "shareId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "guestId" TEXT,
    "secretHash" TEXT NOT NULL,
    "state" "InvitationState" NOT NULL DEFAULT 'PENDING',
    "message" TEXT,
    "createdById" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "sentCount" INTEGER NOT NULL DEFAULT 1,
    "lastSentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GuestInvitation_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "GuestInvitation_secretHash_key" ON "GuestInvitation"("secretHash");
CREATE INDEX "GuestInvitation_shareId_email_idx" ON "GuestInvitation"("shareId", "email");
ALTER TABLE "GuestInvitation" ADD CONSTRAINT "GuestInvitation_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "GuestInvitation" ADD CONSTRAINT "GuestInvitation_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "SsoState" (
    "id" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "nonce" TEXT,
    "codeVerifier" TEXT,
    "requestId" TEXT,
    "returnTo" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SsoState_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SsoState_stateHash_key" ON "SsoState"("stateHash");
CREATE UNIQUE INDEX "SsoState_requestId_key" ON "SsoState"("requestId");
