/** Error codes the domain raises; each maps to one HTTP status. */
export const errorStatus = {
  "invalid:input": 400,
  "invalid:title": 400,
  "invalid:content": 422,
  "unchanged:revision": 409,
  "conflict:revision": 409,
  "not_found:page": 404,
  "not_found:revision": 404,
  "not_found:token": 404,
  "not_found:user": 404,
  "not_found:job": 404,
  "conflict:user": 409,
  "conflict:data": 409,
  "forbidden:page": 403,
  "forbidden:account": 403,
  "unauthorized": 401,
  "rate_limited": 429,
  "forbidden:origin": 403,
  "too_large": 413,
  "unsupported:media_type": 415,
  "method_not_allowed": 405,
  "unavailable": 503,
  "internal": 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type ContentIssue = { line: number; column: number; message: string; rule: string };

/** A failure a user can understand and act on; its message is shown as is. */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { issues?: ContentIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** JSON body for an API error response. */
export function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, ...error.details } };
}
