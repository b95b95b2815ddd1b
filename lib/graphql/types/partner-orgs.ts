import { createPartnerOrg, deletePartnerOrg, getPartnerOrg, listPartnerOrgs, updatePartnerOrg, type PartnerOrgView } from '../../sso/partners';
import { getStaffIdentityProvider, removeStaffIdentityProvider, setStaffIdentityProvider, type StaffIdpView } from '../../sso/staff-idp';
import type { IdpView } from '../../sso/idp-input';
import type { ObjectFieldBuilder } from '@pothos/core';
import { builder } from '../builder';
import { Tlp } from './enums';
import { DateTime } from './scalars';

const IdpKind = builder.enumType('IdpKind', { values: ['OIDC', 'SAML'] as const });

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The fields both kinds of provider show (a staff provider adds its domains). */
const idpFields = <V extends IdpView>(t: ObjectFieldBuilder<Types, V>) => ({
  id: t.id({ resolve: (i) => i.id }),
  kind: t.field({ type: IdpKind, resolve: (i) => i.kind }),
  name: t.string({ resolve: (i) => i.name }),
  enabled: t.boolean({ resolve: (i) => i.enabled }),
  issuer: t.string({ nullable: true, description: 'OIDC: the issuer URL; discovery is at its /.well-known/openid-configuration.', resolve: (i) => i.issuer }),
  clientId: t.string({ nullable: true, description: 'OIDC. The client secret is never returned.', resolve: (i) => i.clientId }),
  requireMfa: t.boolean({ description: 'OIDC: the ID token must show a second factor (amr) or an accepted acr.', resolve: (i) => i.requireMfa }),
  redirectUri: t.string({ nullable: true, description: 'OIDC: register this redirect URI at the provider.', resolve: (i) => i.redirectUri }),
  entityId: t.string({ nullable: true, description: 'SAML: the IdP entity id, from its metadata.', resolve: (i) => i.entityId }),
  ssoUrl: t.string({ nullable: true, description: 'SAML: the IdP single sign-on URL (HTTP-Redirect), from its metadata.', resolve: (i) => i.ssoUrl }),
  acsUrl: t.string({ nullable: true, description: 'SAML: Liaison\'s Assertion Consumer Service URL (HTTP-POST).', resolve: (i) => i.acsUrl }),
  spMetadataUrl: t.string({ nullable: true, description: 'SAML: Liaison\'s SP metadata URL, which is also its entity id.', resolve: (i) => i.spMetadataUrl }),
});

const IdentityProvider = builder.objectRef<IdpView>('IdentityProvider').implement({
  description: 'A partner organisation\'s identity provider (OIDC or SAML 2.0).',
  fields: (t) => idpFields(t),
});

const StaffIdentityProvider = builder.objectRef<StaffIdpView>('StaffIdentityProvider').implement({
  description: 'The home organisation\'s own identity provider for console sign-in, offered beside email and password.',
  fields: (t) => ({
    ...idpFields(t),
    domains: t.exposeStringList('domains', { description: 'Staff whose address is in one of these domains are offered this provider.' }),
    updatedAt: t.field({ type: DateTime, resolve: (i) => i.updatedAt }),
  }),
});

const PartnerOrg = builder.objectRef<PartnerOrgView>('PartnerOrg').implement({
  description: 'An organisation whose people sign in through their own identity provider (admins).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    domains: t.exposeStringList('domains', { description: 'Lower-case ASCII (internationalised names as punycode).' }),
    tlpCeiling: t.field({ type: Tlp, nullable: true, resolve: (o) => o.tlpCeiling }),
    lawEnforcement: t.exposeBoolean('lawEnforcement'),
    guestCount: t.exposeInt('guestCount'),
    idp: t.field({ type: IdentityProvider, nullable: true, resolve: (o) => o.idp }),
    createdAt: t.field({ type: DateTime, resolve: (o) => o.createdAt }),
    updatedAt: t.field({ type: DateTime, resolve: (o) => o.updatedAt }),
  }),
});

const OidcInput = builder.inputType('OidcProviderInput', {
  fields: (t) => ({
    issuer: t.string({ required: true }),
    clientId: t.string({ required: true }),
    clientSecret: t.string({ description: 'Required when creating; on an update with the same clientId, omit it to keep the stored one.' }),
    requireMfa: t.boolean(),
  }),
});
const SamlInput = builder.inputType('SamlProviderInput', {
  fields: (t) => ({ metadataXml: t.string({ required: true, description: 'The IdP\'s SAML metadata (EntityDescriptor with an IDPSSODescriptor).' }) }),
});

const PartnerOrgInput = builder.inputType('PartnerOrgInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    domains: t.stringList({ required: true }),
    tlpCeiling: t.field({ type: Tlp }),
    lawEnforcement: t.boolean(),
    oidc: t.field({ type: OidcInput }),
    saml: t.field({ type: SamlInput }),
  }),
});
const UpdatePartnerOrgInput = builder.inputType('UpdatePartnerOrgInput', {
  fields: (t) => ({
    name: t.string(),
    domains: t.stringList(),
    tlpCeiling: t.field({ type: Tlp, description: 'null removes the ceiling.' }),
    lawEnforcement: t.boolean(),
    oidc: t.field({ type: OidcInput, description: 'Replaces the provider settings (switching to OIDC if it was SAML).' }),
    saml: t.field({ type: SamlInput }),
  }),
});
const StaffIdentityProviderInput = builder.inputType('StaffIdentityProviderInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Shown on the sign-in page: “Sign in with <name>”.' }),
    domains: t.stringList({ required: true }),
    enabled: t.boolean(),
    oidc: t.field({ type: OidcInput }),
    saml: t.field({ type: SamlInput }),
  }),
});

const Deleted = builder.objectRef<{ id: string }>('DeletedPartnerOrg').implement({ fields: (t) => ({ id: t.exposeID('id') }) });
const RemovedIdp = builder.objectRef<{ id: string }>('RemovedIdentityProvider').implement({ fields: (t) => ({ id: t.exposeID('id') }) });

const undef = <T>(v: T | null | undefined) => (v === null ? undefined : v);
type OidcArg = { issuer: string; clientId: string; clientSecret?: string | null; requireMfa?: boolean | null } | null | undefined;
const oidcArg = (o: OidcArg) => (o ? { issuer: o.issuer, clientId: o.clientId, clientSecret: undef(o.clientSecret), requireMfa: o.requireMfa ?? false } : undefined);
const samlArg = (s: { metadataXml: string } | null | undefined) => (s ? { metadataXml: s.metadataXml } : undefined);

builder.queryFields((t) => ({
  partnerOrgs: t.field({ type: [PartnerOrg], description: 'By name.', authScopes: { admin: true }, resolve: (_r, _a, ctx) => listPartnerOrgs(ctx.principal) }),
  partnerOrg: t.field({ type: PartnerOrg, authScopes: { admin: true }, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => getPartnerOrg(ctx.principal, a.id) }),
  staffIdentityProvider: t.field({ type: StaffIdentityProvider, nullable: true, authScopes: { admin: true }, resolve: (_r, _a, ctx) => getStaffIdentityProvider(ctx.principal) }),
}));

builder.mutationFields((t) => ({
  createPartnerOrg: t.field({
    type: PartnerOrg,
    description: 'Creates a partner organisation with its identity provider: exactly one of oidc (discovered now) or saml.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: PartnerOrgInput, required: true }) },
    resolve: (_r, { input: i }, ctx) => createPartnerOrg(ctx.principal, {
      name: i.name, domains: i.domains, tlpCeiling: i.tlpCeiling ?? null, lawEnforcement: undef(i.lawEnforcement), oidc: oidcArg(i.oidc), saml: samlArg(i.saml),
    }),
  }),
  updatePartnerOrg: t.field({
    type: PartnerOrg,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdatePartnerOrgInput, required: true }) },
    resolve: (_r, { id, input: i }, ctx) => updatePartnerOrg(ctx.principal, id, {
      name: undef(i.name), domains: undef(i.domains), lawEnforcement: undef(i.lawEnforcement), oidc: oidcArg(i.oidc), saml: samlArg(i.saml),
      // An explicit null removes the ceiling; leaving the field out keeps it.
      ...('tlpCeiling' in i ? { tlpCeiling: i.tlpCeiling ?? null } : {}),
    }),
  }),
  deletePartnerOrg: t.field({
    type: Deleted,
    description: 'Deletes the partner and its identity provider; its guests can no longer sign in.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => deletePartnerOrg(ctx.principal, a.id),
  }),
  setStaffIdentityProvider: t.field({
    type: StaffIdentityProvider,
    description: 'Sets the identity provider staff may sign in with (beside their password). Only existing, active staff accounts can sign in with it.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: StaffIdentityProviderInput, required: true }) },
    resolve: (_r, { input: i }, ctx) => setStaffIdentityProvider(ctx.principal, { name: i.name, domains: i.domains, enabled: undef(i.enabled), oidc: oidcArg(i.oidc), saml: samlArg(i.saml) }),
  }),
  removeStaffIdentityProvider: t.field({
    type: RemovedIdp,
    nullable: true,
    description: 'Removes the staff identity provider (null when there was none). Staff sign in with their passwords.',
    authScopes: { admin: true },
    resolve: (_r, _a, ctx) => removeStaffIdentityProvider(ctx.principal),
  }),
}));
