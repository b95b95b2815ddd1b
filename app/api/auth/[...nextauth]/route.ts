import { handleNextAuth } from '@/lib/auth/next-auth';

export { handleNextAuth as GET, handleNextAuth as POST };
