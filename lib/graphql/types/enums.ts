import { StaffRole as StaffRoleValues, Tlp as TlpValues } from '../../generated/prisma/enums';
import { builder } from '../builder';

export const Tlp = builder.enumType(TlpValues, {
  name: 'Tlp',
  description: 'Traffic Light Protocol 2.0 marking of a document version.',
});

export const StaffRole = builder.enumType(StaffRoleValues, { name: 'StaffRole' });
