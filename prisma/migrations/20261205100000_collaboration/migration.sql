-- CreateEnum
CREATE TYPE "ProposalState" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED');

-- AlterTable
ALTER TABLE "Share" ADD COLUMN     "keepPartiesApart" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "showGuestPresence" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "PortalGrant" ADD COLUMN     "keepPartiesApart" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "showGuestPresence" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Comment" ADD COLUMN     "anchor" JSONB,
ADD COLUMN     "authorName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "grantKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "ip" TEXT,
ADD COLUMN     "mentions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "orgId" TEXT,
ADD COLUMN     "page" INTEGER,
ADD COLUMN     "parentId" TEXT,
ADD COLUMN     "partyGuestId" TEXT,
ADD COLUMN     "portalId" TEXT,
ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedByName" TEXT,
ADD COLUMN     "versionId" TEXT;

-- Comments written before this migration take their document's organisation.
UPDATE "Comment" c SET "orgId" = d."orgId" FROM "Document" d WHERE d."id" = c."documentId";
ALTER TABLE "Comment" ALTER COLUMN "orgId" SET NOT NULL;

-- CreateTable
CREATE TABLE "Question" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "documentId" TEXT,
    "sectionId" TEXT,
    "grantKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "shareId" TEXT,
    "portalId" TEXT,
    "askerGuestId" TEXT NOT NULL,
    "askerName" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "ip" TEXT,
    "answer" TEXT,
    "answeredById" TEXT,
    "answeredByName" TEXT,
    "answeredAt" TIMESTAMP(3),
    "published" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VersionProposal" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "shareId" TEXT,
    "portalId" TEXT,
    "guestId" TEXT NOT NULL,
    "guestName" TEXT NOT NULL,
    "baseVersionId" TEXT,
    "blobKey" TEXT NOT NULL,
    "wrappedKey" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "state" "ProposalState" NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "acceptedVersionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VersionProposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SharedNote" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "grantKey" TEXT NOT NULL,
    "shareId" TEXT,
    "state" BYTEA NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SharedNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoteUpdate" (
    "id" TEXT NOT NULL,
    "noteId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "update" BYTEA NOT NULL,
    "authorStaffId" TEXT,
    "authorGuestId" TEXT,
    "authorName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NoteUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Question_orgId_createdAt_idx" ON "Question"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "Question_documentId_idx" ON "Question"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "VersionProposal_blobKey_key" ON "VersionProposal"("blobKey");

-- CreateIndex
CREATE INDEX "VersionProposal_documentId_state_idx" ON "VersionProposal"("documentId", "state");

-- CreateIndex
CREATE INDEX "VersionProposal_orgId_state_createdAt_idx" ON "VersionProposal"("orgId", "state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SharedNote_grantKey_key" ON "SharedNote"("grantKey");

-- CreateIndex
CREATE UNIQUE INDEX "NoteUpdate_noteId_seq_key" ON "NoteUpdate"("noteId", "seq");

-- CreateIndex
CREATE INDEX "Comment_parentId_idx" ON "Comment"("parentId");

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VersionProposal" ADD CONSTRAINT "VersionProposal_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SharedNote" ADD CONSTRAINT "SharedNote_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoteUpdate" ADD CONSTRAINT "NoteUpdate_noteId_fkey" FOREIGN KEY ("noteId") REFERENCES "SharedNote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

