/**
 * The platform API the real wx-server-sdk calls (POST <TCB_CONTEXT_CNFG.URL>?env=..., JSON body
 * with an `action`): one handler per action. See docs/sdk-protocol.md for the wire format.
 */

/** The parsed JSON body of one SDK request (`action`, `envName`, the action's own fields). */
export type ActionRequest = Readonly<Record<string, unknown>>;

/**
 * What the server answers with HTTP 200: `{ requestId, data, ...top }`. Most actions put their
 * result in `data`; a few read fields at the top level (e.g. startTransaction's `transactionId`).
 */
export interface ActionResult {
  data?: unknown;
  top?: Readonly<Record<string, unknown>>;
  /**
   * A non-JSON answer sent as is with HTTP 200 (`wx.openApi` answers protobuf bytes); `data`
   * and `top` are then ignored. Its content type must not be exactly
   * `application/json; charset=utf-8`, which makes the SDK parse the body as JSON.
   */
  binary?: { contentType: string; body: Uint8Array };
}

/**
 * A platform error, answered as HTTP 200 `{ requestId, code, message }`: the SDK maps `code`
 * (e.g. 'DATABASE_COLLECTION_NOT_EXIST') to its errCode (-502005) and errMsg.
 */
export class PlatformError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** What the HTTP layer knows of a request besides its body. */
export interface ActionContext {
  /** The id answered as `requestId` (and logged on failures). */
  requestId: string;
  /** The SDK's `X-TCB-Source` header (`wx_client,scf`), "" if absent. */
  source: string;
}

export type ActionHandler = (request: ActionRequest, context: ActionContext) => Promise<ActionResult>;

/** Handlers by action name (`database.getDocument`, `storage.getUploadMetadata`, ...). */
export type ActionTable = Readonly<Record<string, ActionHandler>>;
