/** Calls a settings route handler from the browser; a failure throws with the server's message. */
export async function settingsApi<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`/api/settings/${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  if (res.status === 204) return undefined as T;
  const payload = (await res.json().catch(() => null)) as { message?: string } | null;
  if (!res.ok) throw new Error(payload?.message ?? `request failed (${res.status})`);
  return payload as T;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : "Something went wrong.");
