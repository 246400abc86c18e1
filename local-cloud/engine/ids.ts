/**
 * Ids for documents added without `_id`: 32 hex characters like the platform's, starting with
 * the time so that key order (the order of an unsorted `get()`) follows insertion order.
 */
import { randomBytes } from 'crypto';

const processPart = randomBytes(4).toString('hex');
let counter = randomBytes(4).readUInt32BE(0);

export function newDocumentId(now: number): string {
  counter = (counter + 1) % 0x1000000000000;
  return now.toString(16).padStart(12, '0').slice(-12) + processPart + counter.toString(16).padStart(12, '0');
}

export function newTransactionId(now: number): string {
  return `txn-${newDocumentId(now)}`;
}
