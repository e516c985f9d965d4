export { CdcError } from './CdcError.ts';
