// A GraphQL Code Generator plugin: every enum of the schema with the label of each value, taken from the value's
// description in schema/schema.graphql (the Chinese term where the schema gives one), so the dashboard never
// hand-copies a label. Output: web/src/gql/enum-labels.ts.
/** The Chinese term of a description ("已受理", "零门槛受理: take in …" → "零门槛受理"), else the description. */
function label(description, name) {
  if (!description) return name;
  const text = description.trim();
  const head = text.split(/[:：]/)[0].trim();
  return /[\u4e00-\u9fff]/.test(head) ? head : text;
}

module.exports = {
  plugin(schema) {
    const enums = {};
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.astNode?.kind !== 'EnumTypeDefinition' || type.name.startsWith('__')) continue;
      enums[type.name] = Object.fromEntries(type.getValues().map((v) => [v.name, label(v.description, v.name)]));
    }
    return [
      '// Generated from schema/schema.graphql by web/codegen/enum-labels.cjs: do not edit.',
      `export const enumLabels = ${JSON.stringify(enums, null, 2)} as const;`,
      'export type EnumName = keyof typeof enumLabels;',
      '',
    ].join('\n');
  },
};
