import { builder } from '../builder';

/** The staff member who created something, as far as the listing loaded them. */
export const StaffRef = builder.objectRef<{ email: string; name?: string | null }>('StaffRef').implement({
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.string({ nullable: true, resolve: (s) => s.name ?? null }),
  }),
});
