/**
 * For each GraphQL field of an object type, the stored properties of the entity behind it that the field reads (its
 * own value, or what its field resolver needs). A list that knows them reads only those columns (the case list,
 * src/cases/case-list.ts); a field missing from a table makes it read whole rows, so a missing entry costs speed,
 * never an answer.
 */
export type FieldReads<T> = ReadonlyMap<string, ReadonlyArray<keyof T & string>>;

/** What the fields asked for read, or undefined when one of them is not in the table (then whole rows are read). */
export function propertiesRead<P extends string>(reads: ReadonlyMap<string, ReadonlyArray<P>>, fields: Iterable<string>): P[] | undefined {
  const properties = new Set<P>();
  for (const field of fields) {
    const read = reads.get(field);
    if (!read) return undefined;
    for (const p of read) properties.add(p);
  }
  return [...properties];
}
