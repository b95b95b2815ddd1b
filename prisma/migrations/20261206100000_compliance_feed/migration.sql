-- CreateTable
CREATE TABLE "AuditSyslogCursor" (
    "orgId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditSyslogCursor_pkey" PRIMARY KEY ("orgId")
);

