-- A grant revoked while it waited for a second administrator closes its request as WITHDRAWN.
-- AlterEnum
ALTER TYPE "ApprovalState" ADD VALUE 'WITHDRAWN';
