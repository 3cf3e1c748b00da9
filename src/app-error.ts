/** A field-level problem, addressed by JSON pointer (e.g. "/promisedLimit/days"). */
export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * The one error type services throw. It knows no HTTP: the error plugin maps `code` to a
 * status and `code` + `params` to a message in the reader's language.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly details: ErrorDetail[] = [],
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/** HTTP status per error code; codes not listed are 400 (bad input). */
const statusByCode = new Map<string, number>([
  ['NOT_FOUND', 404],
  ['ROUTE_NOT_FOUND', 404],
  ['UNAUTHENTICATED', 401],
  ['FORBIDDEN', 403],
  ['CSRF_INVALID', 403],
  ['CONFLICT', 409],
  ['ACCOUNT_LOCKED', 423],
  ['RATE_LIMITED', 429],
  ['PAYLOAD_TOO_LARGE', 413],
  ['UNSUPPORTED_MEDIA_TYPE', 415],
  ['INTERNAL', 500],
  ['DATABASE_UNAVAILABLE', 503],
]);

export function registerErrorStatus(code: string, status: number): void {
  statusByCode.set(code, status);
}

export function statusOf(code: string): number {
  return statusByCode.get(code) ?? 400;
}
