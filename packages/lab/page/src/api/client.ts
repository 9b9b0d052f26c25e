/** Requests to the lab server (src/server/): JSON in and out, relative to the page so the lab works under any path; a refusal becomes an ApiError with the server's message. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET api/`path` in the server's binary form (application/octet-stream). */
export async function apiBytes(path: string): Promise<ArrayBuffer> {
  const response = await fetch(`api/${path}`, {
    credentials: "same-origin",
    headers: { Accept: "application/octet-stream" },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new ApiError(response.status, body?.error ?? `${response.status} ${response.statusText}`);
  }
  return response.arrayBuffer();
}

/** GET (or `init`) api/`path`, parsed as JSON. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`api/${path}`, { credentials: "same-origin", ...init });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message =
      (body as { error?: string } | null)?.error ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return body as T;
}

/** POST a JSON body to api/`path`. */
export function post<T>(path: string, body: unknown): Promise<T> {
  return api<T>(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}
