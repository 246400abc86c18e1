/**
 * The cloud calls a function may make: `cloudfunctions/<name>/config.json`
 * `{ "permissions": { "openapi": ["security.msgSecCheck", …] } }`, as the platform reads it on
 * upload. Read on every call, so an edited config.json applies at once (the platform caches it
 * for about 10 minutes after an upload).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { LogSink } from '../../log';

export type OpenApiPermissions = (functionName: string) => Promise<readonly string[]>;

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** Reads `<functionsRoot>/<name>/config.json`; a missing file declares nothing. */
export function configJsonPermissions(functionsRoot: string, log: LogSink): OpenApiPermissions {
  return async (functionName) => {
    if (!FUNCTION_NAME.test(functionName)) return [];
    const file = path.join(functionsRoot, functionName, 'config.json');
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch {
      return [];
    }
    const declared = openApiListOf(text);
    if (declared === null) {
      // Said once per call: the developer sees why every cloud call of that function fails.
      log('warn', {
        event: 'config-json-invalid',
        function: functionName,
        expected: '{"permissions":{"openapi":[…]}}',
      });
      return [];
    }
    return declared;
  };
}

/** `permissions.openapi` of a config.json text: [] when absent, null when malformed. */
export function openApiListOf(text: string): string[] | null {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(config)) return null;
  const permissions = config.permissions ?? {};
  if (!isObject(permissions)) return null;
  const openapi = permissions.openapi ?? [];
  if (!Array.isArray(openapi) || !openapi.every((name) => typeof name === 'string')) return null;
  return openapi as string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
