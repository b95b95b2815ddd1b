import {
  portalAnalytics, type DailyCount, type DocumentAnalytics, type GuestAnalytics, type PageTime, type PortalAnalytics as Analytics,
} from '../../portals/analytics';
import { builder } from '../builder';
import { DateTime } from './scalars';

const Totals = builder.objectRef<Analytics['totals']>('PortalAnalyticsTotals').implement({
  fields: (t) => ({
    views: t.exposeInt('views', { description: 'Documents opened in the viewer (guest.view).' }),
    downloads: t.exposeInt('downloads'),
    uniqueGuests: t.exposeInt('uniqueGuests', { description: 'Distinct guests with at least one allowed event in the range.' }),
    refusals: t.exposeInt('refusals', { description: 'Guest requests the policy refused.' }),
  }),
});

const Day = builder.objectRef<DailyCount>('PortalAnalyticsDay').implement({
  description: 'One UTC calendar day.',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'YYYY-MM-DD (UTC).' }),
    views: t.exposeInt('views'),
    downloads: t.exposeInt('downloads'),
    uniqueGuests: t.exposeInt('uniqueGuests'),
  }),
});

const Page = builder.objectRef<PageTime>('PortalPageTime').implement({
  fields: (t) => ({
    page: t.exposeInt('page', { description: '1-based.' }),
    dwellMs: t.exposeInt('dwellMs', { description: 'Time on the page, summed over sessions; each gap between two page images counts at most 5 minutes.' }),
    views: t.exposeInt('views', { description: 'Sessions that read the page.' }),
  }),
});

const DocumentStats = builder.objectRef<DocumentAnalytics>('PortalDocumentAnalytics').implement({
  fields: (t) => ({
    documentId: t.exposeID('documentId'),
    title: t.exposeString('title'),
    views: t.exposeInt('views'),
    downloads: t.exposeInt('downloads'),
    totalDwellMs: t.exposeInt('totalDwellMs'),
    pages: t.field({ type: [Page], resolve: (d) => d.pages }),
  }),
});

const GuestDay = builder.objectRef<GuestAnalytics['daily'][number]>('PortalGuestDay').implement({
  fields: (t) => ({ date: t.exposeString('date'), events: t.exposeInt('events') }),
});

const GuestStats = builder.objectRef<GuestAnalytics>('PortalGuestAnalytics').implement({
  fields: (t) => ({
    guestId: t.exposeID('guestId'),
    label: t.exposeString('label', { description: 'The guest\'s address, or "guest <id>".' }),
    events: t.exposeInt('events', { description: 'Allowed events (sign-ins, views, pages read, downloads).' }),
    views: t.exposeInt('views'),
    downloads: t.exposeInt('downloads'),
    lastSeenAt: t.field({ type: DateTime, resolve: (g) => g.lastSeenAt }),
    daily: t.field({ type: [GuestDay], resolve: (g) => g.daily }),
  }),
});

const Refusal = builder.objectRef<Analytics['refusals'][number]>('PortalRefusalCount').implement({
  fields: (t) => ({ reason: t.exposeString('reason', { description: 'The policy reason code, e.g. ip_denied, expired.' }), count: t.exposeInt('count') }),
});

const PortalAnalytics = builder.objectRef<Analytics>('PortalAnalytics').implement({
  description: 'What guests did on one portal over a range (share activity is not included).',
  fields: (t) => ({
    portalId: t.id({ resolve: (a) => a.portal.id }),
    from: t.field({ type: DateTime, resolve: (a) => a.from }),
    to: t.field({ type: DateTime, description: 'Exclusive.', resolve: (a) => a.to }),
    totals: t.field({ type: Totals, resolve: (a) => a.totals }),
    daily: t.field({ type: [Day], description: 'Every UTC day of the range, zeros included.', resolve: (a) => a.daily }),
    documents: t.field({ type: [DocumentStats], description: 'Most viewed first.', resolve: (a) => a.documents }),
    guests: t.field({ type: [GuestStats], description: 'The 50 most active guests, most active first.', resolve: (a) => a.guests }),
    refusals: t.field({ type: [Refusal], description: 'By reason, most frequent first.', resolve: (a) => a.refusals }),
  }),
});

builder.queryFields((t) => ({
  portalAnalytics: t.field({
    type: PortalAnalytics,
    description: 'Analytics of one of your organisation\'s portals. Default range: the last 30 days; at most 366 days.',
    authScopes: { $any: { 'audit:read': true, 'shares:read': true } },
    args: {
      portalId: t.arg.id({ required: true }),
      from: t.arg({ type: DateTime, required: false }),
      to: t.arg({ type: DateTime, required: false, description: 'Exclusive; default now.' }),
    },
    resolve: (_r, a, ctx) => portalAnalytics(ctx.principal, a.portalId, { from: a.from ?? undefined, to: a.to ?? undefined }),
  }),
}));
