import { guestLinkFileRoute } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

export const GET = guestLinkFileRoute('preview');
