import { writeParquetFile } from '../../pipeline/parquet-writer/index.ts';
import { DEFAULT_ROW_GROUP_ROWS, EngineName, installedVersion, type ParquetEngine } from './ParquetEngine.ts';

/**
 * hyparquet-writer, exactly as the embedded writer drives it (pipeline/parquet-writer
 * ParquetPartWriter: the explicit contract schema, SNAPPY, statistics, parquet.avro.schema in the
 * footer, a row group per 16 MiB or `rowGroupRows`).
 */
export function hyparquetWriterEngine(): ParquetEngine {
  return {
    name: EngineName.HYPARQUET_WRITER,
    version: installedVersion('hyparquet-writer'),
    deviations: [],
    encode: async (rows, options) => writeParquetFile(rows, { rowGroupMaxRows: options?.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS }),
  };
}
