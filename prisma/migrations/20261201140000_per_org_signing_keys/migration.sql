-- AlterTable
ALTER TABLE "SigningKey" ADD COLUMN     "orgId" TEXT;

-- CreateIndex
CREATE INDEX "SigningKey_orgId_rotatedAt_idx" ON "SigningKey"("orgId", "rotatedAt");

-- AddForeignKey
ALTER TABLE "SigningKey" ADD CONSTRAINT "SigningKey_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The instance-wide keys from before organisations had their own stop signing now and keep verifying
-- (for any organisation) until every token they may have signed has expired: 12 hours of token life,
-- plus 60 s of key cache and 30 s of clock skew (ROTATED_KEY_GRACE_SECONDS in lib/tokens/constants.ts).
-- New tokens are signed with per-organisation keys, created on first use.
UPDATE "SigningKey"
SET "rotatedAt" = COALESCE("rotatedAt", (now() AT TIME ZONE 'UTC')),
    "retireAt" = COALESCE("retireAt", (now() AT TIME ZONE 'UTC') + interval '43290 seconds')
WHERE "orgId" IS NULL AND ("rotatedAt" IS NULL OR "retireAt" IS NULL);
