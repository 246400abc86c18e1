/**
 * Where a user's uploaded avatars live in cloud storage: `avatars/<OPENID>/<timestamp>.<ext>`.
 * The client builds the upload path with `avatarCloudPath`; `saveProfile` accepts only fileIDs
 * that `parseAvatarFileID` places in the caller's own folder of the caller's environment.
 */
const AVATAR_FOLDER = 'avatars';
const AVATAR_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif'] as const;
type AvatarExtension = (typeof AVATAR_EXTENSIONS)[number];

export function avatarFolder(openid: string): string {
  return `${AVATAR_FOLDER}/${openid}/`;
}

/** Extension of a local file path (e.g. a chooseAvatar temp path), defaulting to jpg. */
function avatarExtension(filePath: string): AvatarExtension {
  const match = /\.([A-Za-z0-9]+)$/.exec(filePath);
  const ext = match ? match[1].toLowerCase() : '';
  return (AVATAR_EXTENSIONS as readonly string[]).includes(ext) ? (ext as AvatarExtension) : 'jpg';
}

export function avatarCloudPath(openid: string, timestamp: number, filePath: string): string {
  return `${avatarFolder(openid)}${timestamp}.${avatarExtension(filePath)}`;
}

interface AvatarFileRef {
  env: string;
  openid: string;
  path: string;
}

// cloud://<env>.<bucket>/avatars/<openid>/<timestamp>.<ext>
const AVATAR_FILE_ID =
  /^cloud:\/\/([A-Za-z0-9-]+)\.[A-Za-z0-9-]+\/(avatars\/([A-Za-z0-9_-]{1,64})\/(\d{1,16})\.(jpg|jpeg|png|webp|gif))$/;

/** Parses an avatar fileID, or null when it is not one (wrong scheme, folder or name). */
export function parseAvatarFileID(fileID: unknown): AvatarFileRef | null {
  if (typeof fileID !== 'string' || fileID.length > 512) return null;
  const match = AVATAR_FILE_ID.exec(fileID);
  if (!match) return null;
  return { env: match[1], path: match[2], openid: match[3] };
}
