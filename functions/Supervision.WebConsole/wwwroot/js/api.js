// The API, called on the same origin with the signed-in person's bearer token. Errors come back as
// application/problem+json whose title is Chinese beside English ("无权访问 Not allowed"); they are thrown
// as ApiError and shown as they came.
import { token, signOut } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

/** Calls api/{path}; answers the parsed JSON body (or null), throws ApiError otherwise. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    await signOut();
    throw new ApiError(401, { title: '请重新登录 Sign in again' });
  }
  const type = response.headers.get('Content-Type') ?? '';
  const parsed = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/** Every page of a paged list (each page names the next one), up to a limit of items. */
export async function apiAll(path, limit = 500) {
  const items = [];
  let next = path;
  while (next && items.length < limit) {
    const page = await api(next);
    items.push(...(page?.items ?? []));
    next = page?.next ? withNext(path, page.next) : null;
  }
  return items;
}

function withNext(path, next) {
  if (next.startsWith('/api/')) return next.slice(5);
  if (next.startsWith('api/')) return next.slice(4);
  const separator = path.includes('?') ? '&' : '?';
  return `${path.replace(/([?&])next=[^&]*/, '$1').replace(/[?&]$/, '')}${separator}next=${encodeURIComponent(next)}`;
}
