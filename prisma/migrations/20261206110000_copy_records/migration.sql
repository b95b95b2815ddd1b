-- CreateTable
CREATE TABLE "CopyRecord" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "documentTitle" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "page" INTEGER,
    "shareId" TEXT,
    "portalId" TEXT,
    "grantIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "guestId" TEXT,
    "guestEmail" TEXT,
    "identity" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "watermarked" BOOLEAN NOT NULL,
    "codeEmbedded" BOOLEAN NOT NULL,
    "pageKey" TEXT,
    "releases" INTEGER NOT NULL DEFAULT 1,
    "lastIp" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CopyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CopyRecord_code_key" ON "CopyRecord"("code");

-- CreateIndex
CREATE UNIQUE INDEX "CopyRecord_pageKey_key" ON "CopyRecord"("pageKey");

-- CreateIndex
CREATE INDEX "CopyRecord_orgId_createdAt_idx" ON "CopyRecord"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "CopyRecord_sessionId_idx" ON "CopyRecord"("sessionId");

