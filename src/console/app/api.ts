// The console's only way to the server: POST /graphql on the same origin, with the signed-in
// user's bearer token, and the spreadsheet exports under /exports/ with the same token.

export interface Viewer {
  id: string;
  username: string;
  role: "ADMIN" | "REVIEWER" | "ENTERPRISE" | "OFFICER" | "PARTNER";
  division: { code: string; name: string; level: string } | null;
  budgetUnit: { id: string; code: string; name: string } | null;
  enterprise: { id: string; name: string } | null;
}

export interface Session {
  token: string;
  viewer: Viewer;
}

const sessionKey = "xiangxi-console-session";

export function loadSession(): Session | null {
  try {
    const text = sessionStorage.getItem(sessionKey);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(sessionKey, JSON.stringify(session));
  else sessionStorage.removeItem(sessionKey);
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface UserError {
  code: string;
  message: string;
  field?: string[] | string | null;
}

/** Runs an operation; a top-level error throws (UNAUTHENTICATED signs the user out). */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const session = token ? null : loadSession();
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  const bearer = token ?? session?.token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError("无法连接服务器", "NETWORK");
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code;
    if (code === "UNAUTHENTICATED" && session) {
      saveSession(null);
      window.dispatchEvent(new Event("console-signed-out"));
    }
    throw new ApiError(messages[code ?? ""] ?? first.message, code);
  }
  if (!body.data) throw new ApiError(`服务器错误 (HTTP ${response.status})`, undefined);
  return body.data;
}

const messages: Record<string, string> = {
  UNAUTHENTICATED: "登录已失效，请重新登录",
  FORBIDDEN: "无权查看",
  SERVICE_UNAVAILABLE: "数据库暂不可用，请稍后再试",
  RATE_LIMITED: "请求过于频繁，请稍后再试",
};

/** A mutation's userErrors as one message, or null. */
export function userErrorText(errors: readonly UserError[] | undefined): string | null {
  return errors && errors.length > 0 ? errors.map((e) => e.message).join("；") : null;
}

/** Downloads an export (e.g. /exports/indicators.xlsx?asOf=…) with the session's token. */
export async function downloadExport(path: string, fileName: string): Promise<void> {
  const session = loadSession();
  const response = await fetch(path, { headers: session ? { authorization: `Bearer ${session.token}` } : {} });
  if (!response.ok) throw new ApiError(`导出失败 (HTTP ${response.status})`, undefined);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const VIEWER_FIELDS = `id username role division { code name level } budgetUnit { id code name } enterprise { id name }`;
