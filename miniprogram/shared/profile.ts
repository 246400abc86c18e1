/**
 * The user profile as stored in `users.profile` and answered to the mini program, described by
 * one table (PROFILE_FIELDS): the Profile type, the defaults, what saveProfile stores (nothing
 * outside the table), how a stored profile is read back, the rows of 我的数据 and the test
 * helpers all follow it. Adding a field is one line here (see README, "Add a profile field").
 */
export const PROFILE_SOURCES = ['getUserProfile', 'getUserInfo', 'chooseAvatar'] as const;
export type ProfileSource = (typeof PROFILE_SOURCES)[number];

/** WeChat's gender field: 0 unknown, 1 male, 2 female (always 0 since 2021-10). */
export type Gender = 0 | 1 | 2;

/** What a field of each kind holds. */
export interface ProfileFieldValues {
  text: string;
  gender: Gender;
  source: ProfileSource;
  /** Milliseconds since epoch. */
  time: number;
}
export type ProfileFieldKind = keyof ProfileFieldValues;

type ProfileFieldSpec = {
  /** The label on 我的数据; fields with the same `row` share one row, their values joined. */
  label: string;
  row?: string;
  /** Set by every save; a stored profile without it is no profile at all (read back as null). */
  required?: true;
  /** A required field that may be stored empty later (the avatar, removed by the content check). */
  mayBecomeEmpty?: true;
  /** Copied from WeChat's open data (path A, getUserProfile), under the same name. */
  openData?: true;
} & (
  | {
      kind: 'text';
      /** Typed by the user in the fill-in (path B): an `<input name="<field>">` in pages/profile-edit. */
      fillIn?: true;
    }
  | { kind: Exclude<ProfileFieldKind, 'text'>; fillIn?: never }
);

/** Checks the table against ProfileFieldSpec and keeps its literal types. */
function fieldTable<T extends Readonly<Record<string, ProfileFieldSpec>>>(table: T): T {
  return table;
}

/** Every field of a profile, in the order 我的数据 lists them. */
export const PROFILE_FIELDS = fieldTable({
  nickName: { kind: 'text', label: '昵称', required: true },
  /**
   * https URL from WeChat (getUserProfile) or a cloud:// fileID (chooseAvatar fill-in); empty
   * (NO_AVATAR) after an uploaded avatar failed the content check: shown as the default avatar.
   */
  avatarUrl: { kind: 'text', label: '头像', required: true, mayBecomeEmpty: true },
  source: { kind: 'source', label: '来源', required: true },
  /** Set by the cloud function. */
  updatedAt: { kind: 'time', label: '资料更新' },
  gender: { kind: 'gender', label: '性别', openData: true },
  country: { kind: 'text', label: '地区', row: 'region', openData: true },
  province: { kind: 'text', label: '地区', row: 'region', openData: true },
  city: { kind: 'text', label: '地区', row: 'region', openData: true },
  language: { kind: 'text', label: '语言', openData: true },
} as const);

type Fields = typeof PROFILE_FIELDS;
type ProfileField = keyof Fields;
export type Profile = { -readonly [F in ProfileField]: ProfileFieldValues[Fields[F]['kind']] };

type RequiredField = { [F in ProfileField]: Fields[F] extends { required: true } ? F : never }[ProfileField];
type FillInField = { [F in ProfileField]: Fields[F] extends { fillIn: true } ? F : never }[ProfileField];
/** What a save must give; every other field of the table may be left out. */
type ProfileValues = Pick<Profile, RequiredField> & Partial<Profile>;
/** The fields the user types in the fill-in, besides the nickname. */
export type FillInValues = Pick<Profile, FillInField>;

/** Longest text kept from open data or typed in a fill-in field, in characters (code points). */
export const PROFILE_TEXT_MAX_LENGTH = 64;

const EMPTY: { [K in ProfileFieldKind]: ProfileFieldValues[K] | undefined } = {
  text: '',
  gender: 0,
  source: undefined,
  time: 0,
};

const READERS: { [K in ProfileFieldKind]: (value: unknown) => ProfileFieldValues[K] | undefined } = {
  text: (v) => (typeof v === 'string' ? v : undefined),
  gender: (v) => (v === 0 || v === 1 || v === 2 ? v : undefined),
  source: (v) => PROFILE_SOURCES.find((s) => s === v),
  time: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined),
};

/** A value of `kind`, or undefined when `value` is not one (a stored value, or WeChat's). */
export function readProfileValue<K extends ProfileFieldKind>(
  kind: K,
  value: unknown,
): ProfileFieldValues[K] | undefined {
  return READERS[kind](value);
}

export const profileFields = (): Array<[ProfileField, ProfileFieldSpec]> =>
  Object.entries(PROFILE_FIELDS) as Array<[ProfileField, ProfileFieldSpec]>;

/**
 * The profile a save stores: the fields of the table, in its order, each given value or its
 * kind's empty value. Nothing outside the table is copied.
 */
export function completeProfile(values: ProfileValues): Profile {
  const given = values as Partial<Record<ProfileField, unknown>>;
  const profile: Record<string, unknown> = {};
  for (const [field, spec] of profileFields()) profile[field] = given[field] ?? EMPTY[spec.kind];
  return profile as Profile;
}

/** The values of the fill-in fields (besides the nickname) found as text in `values`: a form's, a profile's. */
export function fillInValues(values: Readonly<Record<string, unknown>> | null): Partial<FillInValues> {
  const found: Record<string, string> = {};
  for (const [field, spec] of profileFields()) {
    const value = values?.[field];
    if (spec.fillIn && typeof value === 'string') found[field] = value;
  }
  return found as Partial<FillInValues>;
}

/**
 * A stored profile read back with its types checked: unknown fields dropped, a missing or
 * mistyped field at its empty value, null without a required field.
 */
export function readStoredProfile(value: unknown): Profile | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const stored = value as Record<string, unknown>;
  const profile: Record<string, unknown> = {};
  for (const [field, spec] of profileFields()) {
    const read = readProfileValue(spec.kind, stored[field]);
    if (spec.required && (read === undefined || (read === '' && !spec.mayBecomeEmpty))) return null;
    profile[field] = read ?? EMPTY[spec.kind];
  }
  return profile as Profile;
}

/** The avatar of a profile whose uploaded avatar was removed by the content check. */
export const NO_AVATAR = '';

export const ANONYMOUS_NICKNAME = '微信用户';
/**
 * The gray default avatar WeChat returns instead of the real one (base library 2.27.1+,
 * announced 2022-10-25). Matched by path: the size suffix after the last `/` varies.
 */
export const ANONYMOUS_AVATAR_PATH =
  '/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg';

/** True for the anonymous data WeChat hands out in place of a real profile. */
export function isAnonymousProfile(data: { nickName?: unknown; avatarUrl?: unknown }): boolean {
  if (data.nickName !== ANONYMOUS_NICKNAME) return false;
  const avatar = typeof data.avatarUrl === 'string' ? data.avatarUrl : '';
  return avatar === '' || avatar.includes(ANONYMOUS_AVATAR_PATH);
}

export {
  checkNickname,
  NICKNAME_MAX_LENGTH,
  NICKNAME_PROBLEMS,
  type NicknameCheck,
  type NicknameProblem,
} from './nickname';
