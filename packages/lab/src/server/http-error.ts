/** A refusal with its HTTP status and a message that names the problem and the fix; the server sends it as {"error": message}. */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 400: the request itself is wrong (bad JSON, a bad field). */
export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}
