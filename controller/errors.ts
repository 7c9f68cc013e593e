// Domain errors, typed once and mapped to HTTP responses in one place (app.onError).
import type { ZodError } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new HttpError(400, 'bad_request', message, details);
export const notFound = (what: string, id: string) =>
  new HttpError(404, 'not_found', `${what} '${id}' not found`);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const unauthorized = (message = 'missing or invalid bearer token') =>
  new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

export function fromZod(error: ZodError, where: string): HttpError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const summary = first ? `${first.path || where}: ${first.message}` : 'invalid input';
  return new HttpError(400, 'invalid_input', `invalid ${where}: ${summary}`, issues);
}
