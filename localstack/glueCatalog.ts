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
import { DEFAULT_CONSOLIDATED_PREFIX } from '../pipeline/consolidation/index.ts';
// The file, not the query barrel: that one also loads DuckDB's native binding, which the stack has no use for.
import { type ConsolidatedTableDefinition, consolidatedChangesTable } from '../pipeline/query/consolidatedChangesTable.ts';

export interface CatalogInfo {
  database: string;
  table: string;
  /** `chargeback_changes_consolidated`: complete consolidated days, through their symlink files. */
  consolidatedTable: string;
  /** `s3://<bucket>/<prefix>`: where the table's partitions are projected from. */
  location: string;
}

/**
 * Registers the Glue database, the `chargeback_changes` table and the
 * `chargeback_changes_consolidated` table (pipeline/query/consolidatedChangesTable.ts) in the local stack's Glue,
 * from the same definition infra/ deploys (pipeline/schema/chargebackChangesTable.ts): the same
 * derived columns and partition projection properties, the location pointing at the local
 * landing bucket. An existing table is updated to the definition, so a schema change reaches a
 * long-running stack on its next `stack up`.
 */
export async function ensureCatalog(
  glue: GlueClient,
  o: { database: string; bucket: string; prefix: string; consolidatedPrefix?: string; projectionStartDay?: string },
): Promise<CatalogInfo> {
  const projectionStartDay = o.projectionStartDay ?? DEFAULT_PROJECTION_START_DAY;
  const def = chargebackChangesTable({ bucket: o.bucket, prefix: o.prefix, projectionStartDay });
  const consolidated = consolidatedChangesTable({
    bucket: o.bucket,
    consolidatedPrefix: o.consolidatedPrefix ?? DEFAULT_CONSOLIDATED_PREFIX,
    projectionStartDay,
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
  await Promise.all([putTable(glue, o.database, tableInputOf(def)), putTable(glue, o.database, tableInputOf(consolidated))]);
  return { database: o.database, table: def.name, consolidatedTable: consolidated.name, location: def.location };
}

/** Creates the table, or updates an existing one to the definition. */
async function putTable(glue: GlueClient, database: string, input: TableInput): Promise<void> {
  try {
    await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: input }));
  } catch (e) {
    if (!(e instanceof AlreadyExistsException)) throw e;
    await glue.send(new UpdateTableCommand({ DatabaseName: database, TableInput: input }));
  }
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

function tableInputOf(def: ChargebackChangesTableDefinition | ConsolidatedTableDefinition): TableInput {
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
