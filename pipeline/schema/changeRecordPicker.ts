import { CHANGE_RECORD_FIELDS } from './avroSchema.ts';
import type { ChangeRecord } from './changeRecord.ts';
import { compileFieldMapper } from './compileFieldMapper.ts';

/**
 * Builds a function that makes a new object with exactly the change record's fields of its source,
 * in Avro order, and nothing else: the shape that goes on the wire and that validation hands back.
 * It checks nothing; call it on a record already known to be valid. Each caller builds its own, so
 * its property loads only ever see that caller's input shapes (the encoder's records, the
 * validator's parsed JSON) and stay as fast as a hand-written object literal.
 */
export function changeRecordPicker(): (source: object) => ChangeRecord {
  return compileFieldMapper<ChangeRecord>(CHANGE_RECORD_FIELDS.map((name) => ({ name })));
}
