/**
 * Decoders turn the untrusted data of a call into a contract's request type, or say which field
 * is wrong. Plain functions without dependencies: the functions decode every event with them,
 * and the mini program's tests check with them that what the client sends would be accepted.
 */

/** Why a request was refused: the field at fault and a reason in Chinese, readable after the field. */
interface DecodeFailure {
  ok: false;
  field: string;
  reason: string;
}

export type Decoded<T> = { ok: true; value: T } | DecodeFailure;

export type Decoder<T> = (data: Readonly<Record<string, unknown>>) => Decoded<T>;

export const decoded = <T>(value: T): Decoded<T> => ({ ok: true, value });

export const refused = (field: string, reason: string): DecodeFailure => ({ ok: false, field, reason });

/** The message of a refusal, naming the field: `nickName 无效：不能为空`. */
export const refusalMessage = ({ field, reason }: DecodeFailure): string => `${field} 无效：${reason}`;

/** The decoder of a request without fields: whatever else the event carries is ignored. */
export const decodeNothing: Decoder<Record<string, never>> = () => decoded({});
