import { parseAvatarFileID } from '../../miniprogram/shared/avatar-path';
import { checkNickname, type Profile } from '../../miniprogram/shared/profile';
import { invalidArgument } from '../core/app-error';
import type { Caller } from '../core/handler';

/**
 * Path B: the avatar/nickname fill-in. The avatar must already be uploaded to this
 * environment, inside the caller's own folder (avatars/<OPENID>/).
 */
export function profileFromFillIn(
  nickNameRaw: unknown,
  avatarFileIDRaw: unknown,
  caller: Caller,
  env: string | undefined,
  now: number,
): Profile {
  const nick = checkNickname(nickNameRaw);
  if (!nick.ok) throw invalidArgument(`昵称无效：${nick.reason}`);
  const file = parseAvatarFileID(avatarFileIDRaw);
  if (!file) throw invalidArgument('avatarFileID 必须是上传到头像目录的 cloud:// 文件');
  if (!env || file.env !== env) throw invalidArgument('头像文件不属于当前云环境');
  if (file.openid !== caller.openid) throw invalidArgument('头像文件不属于当前用户');
  return {
    nickName: nick.value,
    avatarUrl: avatarFileIDRaw as string,
    gender: 0,
    country: '',
    province: '',
    city: '',
    language: '',
    source: 'chooseAvatar',
    updatedAt: now,
  };
}
