/**
 * The fileID behind one of the emulator's own download URLs: a temp URL of the platform API
 * (`<base>/tcb/files/<cloudPath>?t=…&sign=…`, what a function's getTempFileURL answers) or of
 * the gateway (`<base>/storage/files/<cloudPath>`). Any other URL names no file of this emulator.
 */
import { checkCloudPath, type LocalStorage } from '../../storage';

export function ownFileIdOfUrl(
  url: string,
  prefixes: readonly string[],
  storage: Pick<LocalStorage, 'fileID'>,
): string | null {
  const pathPart = url.split(/[?#]/, 1)[0];
  const prefix = prefixes.find((candidate) => pathPart.startsWith(candidate));
  if (prefix === undefined) return null;
  let cloudPath: string;
  try {
    cloudPath = decodeURIComponent(pathPart.slice(prefix.length));
  } catch {
    return null;
  }
  return checkCloudPath(cloudPath) === null ? null : storage.fileID(cloudPath);
}
