import { type Static, type TSchema, Type } from "@sinclair/typebox";

/**
 * Shapes shared by the API's routes and the web client. Declared once with TypeBox: the JSON
 * Schema validates requests on the server, and `Static<…>` types both the handlers and the pages.
 */
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const IsoDate = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

/** What every error answers: a message, a stable code the pages translate, the field at fault. */
export const ErrorBody = Type.Object({
  error: Type.String(),
  code: Type.String(),
  field: Type.Optional(Type.String()),
});
