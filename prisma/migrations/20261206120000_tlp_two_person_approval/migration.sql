-- TLP 2.0 ceilings and two-person approval (issue 7).
-- CreateEnum
CREATE TYPE "ApprovalState" AS ENUM ('NONE', 'PENDING', 'APPROVED', 'REFUSED');

-- AlterTable
ALTER TABLE "Share" ADD COLUMN     "approvalState" "ApprovalState" NOT NULL DEFAULT 'NONE';

-- AlterTable
ALTER TABLE "PortalGrant" ADD COLUMN     "approvalState" "ApprovalState" NOT NULL DEFAULT 'NONE';

-- CreateTable
CREATE TABLE "GrantApprovalRequest" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "shareId" TEXT,
    "portalGrantId" TEXT,
    "reasons" TEXT[],
    "state" "ApprovalState" NOT NULL DEFAULT 'PENDING',
    "requestedById" TEXT,
    "requestedBy" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GrantApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GrantApprovalRequest_orgId_state_createdAt_idx" ON "GrantApprovalRequest"("orgId", "state", "createdAt");

-- CreateIndex
CREATE INDEX "GrantApprovalRequest_shareId_idx" ON "GrantApprovalRequest"("shareId");

-- CreateIndex
CREATE INDEX "GrantApprovalRequest_portalGrantId_idx" ON "GrantApprovalRequest"("portalGrantId");

-- AddForeignKey
ALTER TABLE "GrantApprovalRequest" ADD CONSTRAINT "GrantApprovalRequest_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GrantApprovalRequest" ADD CONSTRAINT "GrantApprovalRequest_portalGrantId_fkey" FOREIGN KEY ("portalGrantId") REFERENCES "PortalGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A request is about exactly one grant: a share or a portal grant.
ALTER TABLE "GrantApprovalRequest" ADD CONSTRAINT "GrantApprovalRequest_one_grant" CHECK (("shareId" IS NULL) <> ("portalGrantId" IS NULL));

-- At most one open request per grant (Prisma cannot express partial unique indexes).
CREATE UNIQUE INDEX "GrantApprovalRequest_open_share" ON "GrantApprovalRequest"("shareId") WHERE "state" = 'PENDING' AND "shareId" IS NOT NULL;
CREATE UNIQUE INDEX "GrantApprovalRequest_open_portal_grant" ON "GrantApprovalRequest"("portalGrantId") WHERE "state" = 'PENDING' AND "portalGrantId" IS NOT NULL;
