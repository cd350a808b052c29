// The stored records' types now live in the contract (src/contract/records.ts); this path stays so older imports keep working.
export type * from '../contract/records';
