import type { SaveProfileData } from '@shared/api';
import { invalidArgument } from '../core/app-error';
import { defineFunction, type Call } from '../core/handler';
import { confirmUploaded, currentAvatarFile, replacedAvatarFiles, trackedAvatarFiles } from '../profile/avatar-files';
import { checkProfileText, submitAvatar } from '../profile/content-check';
import { accountGone, discardUpload, tidyAvatarFiles } from '../profile/tidy-avatar-files';
import { profileFromFillIn } from '../profile/filled-profile';
import { profileFromOpenData } from '../profile/open-data-profile';
import { currentPlatform } from '../platform/sdk';
import { UsersStore, type AvatarCheckChange } from '../users/users-store';

/**
 * Stores the caller's profile from a CloudID (path A) or the fill-in (path B). Only the fields
 * of the profile table are written; nothing else in the event reaches the database.
 *
 * Content safety: the typed text is checked (msgSecCheck) before anything is stored or the
 * avatar touched; a new upload is submitted to the media check (its verdict comes later, to
 * onMediaCheck) and the check is recorded in the update that stores the profile.
 *
 * Avatar files: the uploaded file is tracked in `avatarFiles` by the same update that points
 * the profile at it, and replaced files are forgotten only after storage confirms them gone,
 * so no accepted file is ever left untracked, whatever the interleaving with other calls. A
 * refused call deletes its new upload: no record will point at it.
 */
async function saveProfile({ request, caller, context, platform }: Call<'saveProfile'>): Promise<SaveProfileData> {
  const now = Date.now();
  const openData = 'profile' in request;
  const profile = openData
    ? await profileFromOpenData(request, context, platform, now)
    : profileFromFillIn(request, caller, context.ENV, now);
  const upload = openData ? null : profile.avatarUrl;

  const { openid } = caller;
  const users = new UsersStore(platform.database());
  const existing = await users.find(openid);
  if (!existing || existing.deleting) {
    // Refused: no record will ever point at this upload, so it must not stay in storage.
    if (upload) await discardUpload(platform, upload);
    throw accountGone(existing);
  }
  if (upload && replacedAvatarFiles(existing, openid).includes(upload)) {
    throw invalidArgument('该头像已被替换，请重新上传');
  }
  // The current avatar saved again is no new upload: never discarded, not checked again.
  const newUpload = upload !== null && upload !== currentAvatarFile(existing, openid) ? upload : null;
  const refuse = async (error: unknown): Promise<never> => {
    if (newUpload) await discardUpload(platform, newUpload);
    throw error;
  };

  const textCheckSkipped = await checkProfileText(platform, openid, profile).catch(refuse);
  // The same avatar saved again keeps its pending check (if its verdict has not come yet).
  let avatarCheck: AvatarCheckChange =
    upload && existing.avatarCheck?.fileID === upload ? existing.avatarCheck : 'clear';
  if (upload) {
    const url = await confirmUploaded(platform, upload);
    if (newUpload) avatarCheck = { traceId: await submitAvatar(platform, openid, url).catch(refuse), fileID: upload };
  }

  const tracked = trackedAvatarFiles(existing, openid);
  // A record of the previous version does not track its current avatar: start tracking it too.
  const newlyTracked = [...new Set([upload, currentAvatarFile(existing, openid)])].filter(
    (f): f is string => f !== null && !tracked.includes(f),
  );
  const keptAvatar = upload !== null && newUpload === null ? upload : null;
  const review = { avatarCheck, textCheckSkipped };
  const updated = await users.saveProfile(openid, profile, newlyTracked, review, keptAvatar);
  await tidyAvatarFiles({ users, platform, openid, upload, keptAvatar, profile, updated });
  return { profile };
}

export const main = defineFunction('saveProfile', saveProfile, currentPlatform);
