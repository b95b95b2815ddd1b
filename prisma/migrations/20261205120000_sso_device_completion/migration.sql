-- A partner's single sign-on into a device-bound share or portal completes on a page that proves the
-- browser's device key, with a one-time code kept in the handoff table (now for shares as well).
ALTER TABLE "PortalSsoHandoff" ALTER COLUMN "portalId" DROP NOT NULL;
ALTER TABLE "PortalSsoHandoff" ADD COLUMN "shareId" TEXT;
ALTER TABLE "PortalSsoHandoff" ADD COLUMN "device" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "PortalSsoHandoff" ADD CONSTRAINT "PortalSsoHandoff_one_target" CHECK (("portalId" IS NULL) <> ("shareId" IS NULL));

-- CreateIndex
CREATE INDEX "PortalSsoHandoff_shareId_idx" ON "PortalSsoHandoff"("shareId");

-- AddForeignKey
ALTER TABLE "PortalSsoHandoff" ADD CONSTRAINT "PortalSsoHandoff_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;
