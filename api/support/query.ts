// Small builders for MikroORM `where` objects that stay valid when a list is empty.
type Where = Record<string, unknown>;

/** Every condition (no condition: everything). */
export const allOf = (conditions: Where[]): Where => (conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0]! : { $and: conditions });

/** Any condition (no condition: nothing). */
export const anyOf = (conditions: Where[]): Where =>
  conditions.length === 0 ? { id: { $in: [] } } : conditions.length === 1 ? conditions[0]! : { $or: conditions };
