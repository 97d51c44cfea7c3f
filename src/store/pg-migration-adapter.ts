import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

// PostgreSQL's `name` (oid 19) and `"char"` (oid 18) columns come back from the catalog queries
// Prisma's schema engine runs; @prisma/adapter-pg 6.19 cannot map them and every migrate command
// fails ("Column type 'name' could not be deserialized", prisma/orm issue #27403). Both are text,
// so the rows are re-typed as text before the adapter maps them. Used by prisma.config.ts only.
const TEXT_OID = 25;
const TEXT_LIKE_OIDS = new Set([18, 19]);

type Queryable = { performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }> };

function retypeTextLike(queryable: Queryable): void {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields ?? []) if (TEXT_LIKE_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    return result;
  };
}

export function withCatalogTypes(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const patch = async <T>(adapter: Promise<T>): Promise<T> => {
    const a = await adapter;
    retypeTextLike(a as unknown as Queryable);
    return a;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => patch(factory.connect()),
    connectToShadowDb: () => patch(factory.connectToShadowDb()),
  };
}
