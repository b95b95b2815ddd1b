const FIELDS: Record<string, string> = {
  name: 'name', domains: 'domains', tlpCeiling: 'tlpCeiling',
  'oidc.issuer': 'issuer', 'oidc.clientId': 'clientId', 'oidc.clientSecret': 'clientSecret', 'saml.metadataXml': 'metadataXml',
};

/**
 * Our errors name the field they are about ("domains: …", "oidc.issuer: …"; zod issues joined with
 * "; "): each goes beside its field, anything else above the form.
 */
export function fieldErrors(message: string): { fields: Record<string, string>; general: string | null } {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of message.split('; ')) {
    const m = /^([a-zA-Z.]+(?:\.\d+)?): (.*)$/.exec(part);
    const key = m ? FIELDS[m[1].replace(/\.\d+$/, '')] : undefined;
    if (m && key) {
      const text = m[2].charAt(0).toUpperCase() + m[2].slice(1);
      fields[key] ??= /[.!?]$/.test(text) ? text : `${text}.`;
    } else rest.push(part);
  }
  return { fields, general: rest.length ? rest.join(' ') : null };
}
