import { handleGraphql } from '@/lib/graphql/yoga';

export const dynamic = 'force-dynamic';

// Queries may use GET (cacheable by nobody: every answer is per caller); mutations are POST only.
export { handleGraphql as GET, handleGraphql as POST };
