import { type FormEvent, useState } from "react";
import { Link } from "../router.js";
import { type Session, type UserError, VIEWER_FIELDS, type Viewer, gql, userErrorText } from "../api.js";

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }`;
// Asked with the new token: the login request itself is anonymous, so what its payload may show is an anonymous caller's.
const VIEWER = `query Viewer { viewer { user { ${VIEWER_FIELDS} } } }`;

interface LoginAnswer {
  login: { token: string | null; userErrors: UserError[] };
}

/** 登录: the API's own `login`; the token lives in this tab's sessionStorage only. */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { login } = await gql<LoginAnswer>(LOGIN, { input: { username, password } });
      const problem = userErrorText(login.userErrors);
      if (problem || !login.token) return setError(problem ?? "登录失败");
      const { viewer } = await gql<{ viewer: { user: Viewer | null } | null }>(VIEWER, {}, login.token);
      if (!viewer?.user) setError("登录失败");
      else onSignedIn({ token: login.token, viewer: viewer.user });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <form className="card" onSubmit={submit} aria-label="登录">
        <h2>湘西州消费扶贫 · 产业扶贫工作台</h2>
        <label>
          用户名
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          密码
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? <p className="error" role="alert">{error}</p> : null}
        <button type="submit" disabled={busy}>
          {busy ? "正在登录…" : "登录"}
        </button>
        <p className="muted">
          不登录也可以 <Link to="/console/catalog">浏览产品目录</Link>。
        </p>
      </form>
    </div>
  );
}
