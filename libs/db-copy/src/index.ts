export { MAX_ISSUES } from './check-values';
export { copyDatabase } from './copy-database';
export type {
  CopyReport,
  CopyReporter,
  CopyRequest,
  CopyStage,
  PlannedTable,
} from './copy-request';
export type { InvalidValueIssue, OnInvalid } from './copy-table';
export { DbCopyError, maskUrl } from './db-copy-error';
export type { SequenceVerification } from './sequences';
export type { TablePlan } from './table-plan';
export { verifyDatabase } from './verify-database';
export type { VerifyReport, VerifyRequest } from './verify-database';
export type { TableVerification } from './verify-tables';
