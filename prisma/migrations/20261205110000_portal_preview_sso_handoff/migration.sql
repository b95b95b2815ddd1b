-- AlterTable
ALTER TABLE "SsoState" ADD COLUMN     "returnHost" TEXT;

-- CreateTable
CREATE TABLE "PortalPreview" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "portalId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "as" JSONB NOT NULL,
    "documentId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PortalPreview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortalPreviewPage" (
    "previewId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "page" INTEGER NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 1,
    "firstAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalPreviewPage_pkey" PRIMARY KEY ("previewId","versionId","page")
);

-- CreateTable
CREATE TABLE "PortalSsoHandoff" (
    "id" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "portalId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "guestId" TEXT NOT NULL,
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "providerId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalSsoHandoff_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PortalPreview_portalId_createdAt_idx" ON "PortalPreview"("portalId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PortalSsoHandoff_codeHash_key" ON "PortalSsoHandoff"("codeHash");

-- CreateIndex
CREATE INDEX "PortalSsoHandoff_portalId_idx" ON "PortalSsoHandoff"("portalId");

-- CreateIndex
CREATE INDEX "PortalSsoHandoff_expiresAt_idx" ON "PortalSsoHandoff"("expiresAt");

-- AddForeignKey
ALTER TABLE "PortalPreview" ADD CONSTRAINT "PortalPreview_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalPreviewPage" ADD CONSTRAINT "PortalPreviewPage_previewId_fkey" FOREIGN KEY ("previewId") REFERENCES "PortalPreview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalSsoHandoff" ADD CONSTRAINT "PortalSsoHandoff_portalId_fkey" FOREIGN KEY ("portalId") REFERENCES "Portal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalSsoHandoff" ADD CONSTRAINT "PortalSsoHandoff_guestId_fkey" FOREIGN KEY ("guestId") REFERENCES "Guest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
