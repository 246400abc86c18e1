import type { SaveFilledProfileRequest } from '@shared/api';
import { parseAvatarFileID } from '@shared/avatar-path';
import { completeProfile, type Profile } from '@shared/profile';
import { invalidArgument } from '../core/app-error';
import type { CallerIdentity } from '../core/handler';

/**
 * Path B: the avatar/nickname fill-in, decoded (nickname checked, avatar fileID shaped). The
 * avatar must also be in this environment, inside the caller's own folder (avatars/<OPENID>/).
 * Fields of the profile table the fill-in does not set are stored empty.
 */
export function profileFromFillIn(
  { nickName, avatarFileID, ...typed }: SaveFilledProfileRequest,
  caller: CallerIdentity,
  env: string | undefined,
  now: number,
): Profile {
  const file = parseAvatarFileID(avatarFileID);
  if (!file) throw invalidArgument('avatarFileID 无效：必须是上传到头像目录的 cloud:// 文件');
  if (!env || file.env !== env) throw invalidArgument('头像文件不属于当前云环境');
  if (file.openid !== caller.openid) throw invalidArgument('头像文件不属于当前用户');
  return completeProfile({ ...typed, nickName, avatarUrl: avatarFileID, source: 'chooseAvatar', updatedAt: now });
}
