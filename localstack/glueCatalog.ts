import {
  AlreadyExistsException,
  CreateDatabaseCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  UpdateTableCommand,
  type GlueClient,
  type Table,
  type TableInput,
} from '@aws-sdk/client-glue';
import {
  chargebackChangesTable,
  DEFAULT_PROJECTION_START_DAY,
  type ChargebackChangesTableDefinition,
  type GlueColumn,
} from '../pipeline/schema/index.ts';

export interface CatalogInfo {
  database: string;
  table: string;
  /** `s3://<bucket>/<prefix>`: where the table's partitions are projected from. */
  location: string;
}

/**
 * Registers the Glue database and the `chargeback_changes` table in the local stack's Glue,
 * from the same definition infra/ deploys (pipeline/schema/chargebackChangesTable.ts): the same
 * derived columns and partition projection properties, the location pointing at the local
 * landing bucket. An existing table is updated to the definition, so a schema change reaches a
 * long-running stack on its next `stack up`.
 */
export async function ensureCatalog(
  glue: GlueClient,
  o: { database: string; bucket: string; prefix: string; projectionStartDay?: string },
): Promise<CatalogInfo> {
  const def = chargebackChangesTable({
    bucket: o.bucket,
    prefix: o.prefix,
    projectionStartDay: o.projectionStartDay ?? DEFAULT_PROJECTION_START_DAY,
  });
  try {
    await glue.send(
      new CreateDatabaseCommand({
        DatabaseInput: { Name: o.database, Description: 'chargeback-cdc landing zone (local stack)' },
      }),
    );
  } catch (e) {
    // Another `ensure` created it first, or it survived from an earlier `stack up`: what we wanted.
    if (!(e instanceof AlreadyExistsException)) throw e;
  }
  const input = tableInputOf(def);
  try {
    await glue.send(new CreateTableCommand({ DatabaseName: o.database, TableInput: input }));
  } catch (e) {
    if (!(e instanceof AlreadyExistsException)) throw e;
    await glue.send(new UpdateTableCommand({ DatabaseName: o.database, TableInput: input }));
  }
  return { database: o.database, table: def.name, location: def.location };
}

/** The registered table, or undefined when it (or its database) does not exist. */
export async function getCatalogTable(glue: GlueClient, database: string, table: string): Promise<Table | undefined> {
  try {
    return (await glue.send(new GetTableCommand({ DatabaseName: database, Name: table }))).Table;
  } catch (e) {
    if (e instanceof EntityNotFoundException) return undefined;
    throw e;
  }
}

function tableInputOf(def: ChargebackChangesTableDefinition): TableInput {
  const columns = (cs: readonly GlueColumn[]) =>
    cs.map((c) => ({ Name: c.name, Type: c.type, ...(c.comment ? { Comment: c.comment } : {}) }));
  return {
    Name: def.name,
    Description: def.description,
    TableType: def.tableType,
    Parameters: { ...def.parameters },
    PartitionKeys: columns(def.partitionKeys),
    StorageDescriptor: {
      Location: def.location,
      InputFormat: def.storage.inputFormat,
      OutputFormat: def.storage.outputFormat,
      SerdeInfo: { SerializationLibrary: def.storage.serializationLibrary, Parameters: { ...def.storage.serdeParameters } },
      Columns: columns(def.columns),
    },
  };
}
