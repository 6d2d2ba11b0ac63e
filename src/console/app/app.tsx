import { type ReactNode, Suspense, lazy, useEffect, useState } from "react";
import { type Session, type Viewer, loadSession, saveSession } from "./api.js";
import { mayOpenDashboard } from "./dashboard-queries.js";
import { roleLabels } from "./labels.js";
import { SignInPage } from "./pages/sign-in.js";
import { Link, navigate, usePath } from "./router.js";

// Each page is its own chunk, loaded when first opened (the sign-in page loads no chart code; the
// dashboard's chunk carries ECharts, and main.tsx starts loading it at once when opened on it).
const DashboardPage = lazy(() => import("./pages/dashboard.js").then((m) => ({ default: m.DashboardPage })));
const ReviewPage = lazy(() => import("./pages/review.js").then((m) => ({ default: m.ReviewPage })));
const OfficerPage = lazy(() => import("./pages/officer.js").then((m) => ({ default: m.OfficerPage })));
const CatalogPage = lazy(() => import("./pages/catalog.js").then((m) => ({ default: m.CatalogPage })));
const ProductPage = lazy(() => import("./pages/catalog.js").then((m) => ({ default: m.ProductPage })));

interface Page {
  path: string;
  title: string;
  /** who sees it in the menu (and may open it) */
  may: (viewer: Viewer | null) => boolean;
  render: (viewer: Viewer) => ReactNode;
}

/** the prefecture and county offices */
const office = mayOpenDashboard;
const pages: Page[] = [
  { path: "/console/dashboard", title: "规划指标", may: office, render: (v) => <DashboardPage viewer={v} /> },
  { path: "/console/review", title: "审核队列", may: office, render: (v) => <ReviewPage viewer={v} /> },
  { path: "/console/officer", title: "我的采购", may: (v) => v?.role === "OFFICER", render: (v) => <OfficerPage viewer={v} /> },
  { path: "/console/catalog", title: "产品目录", may: () => true, render: () => <CatalogPage /> },
];

/** Where a user lands after signing in. */
function home(viewer: Viewer | null): string {
  return (pages.find((p) => p.may(viewer)) ?? pages[pages.length - 1]!).path;
}

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const path = usePath();
  const viewer = session?.viewer ?? null;

  useEffect(() => {
    const signedOut = () => setSession(null);
    window.addEventListener("console-signed-out", signedOut);
    return () => window.removeEventListener("console-signed-out", signedOut);
  }, []);

  const signIn = (next: Session) => {
    saveSession(next);
    setSession(next);
    navigate(home(next.viewer));
  };
  const signOut = () => {
    saveSession(null);
    setSession(null);
    navigate("/console/");
  };

  const productId = /^\/console\/products\/([^/]+)$/.exec(path)?.[1];
  const page = pages.find((p) => p.path === path);
  let content: ReactNode;
  if (productId) content = <ProductPage id={decodeURIComponent(productId)} />;
  else if (page && page.path === "/console/catalog") content = page.render(viewer!);
  else if (!viewer) content = <SignInPage onSignedIn={signIn} />;
  else if (!page) {
    navigate(home(viewer));
    content = null;
  } else if (!page.may(viewer)) content = <p className="error">您的账号不能使用此页面</p>;
  else content = page.render(viewer);

  useEffect(() => {
    document.title = `${productId ? "产品" : (page?.title ?? "登录")} · 湘西州扶贫工作台`;
  }, [page, productId]);

  return (
    <div className="shell">
      <header className="topbar">
        <h1>
          <Link to={home(viewer)}>湘西州扶贫工作台</Link>
        </h1>
        <nav>
          {pages
            .filter((p) => p.may(viewer))
            .map((p) => (
              <Link key={p.path} to={p.path} className={p.path === path ? "active" : undefined}>
                {p.title}
              </Link>
            ))}
        </nav>
        <div className="who">
          {viewer ? (
            <>
              <span data-viewer={viewer.username}>
                {viewer.username} · {roleLabels[viewer.role] ?? viewer.role}
                {viewer.division ? ` · ${viewer.division.name}` : ""}
                {viewer.budgetUnit ? ` · ${viewer.budgetUnit.name}` : ""}
              </span>
              <button type="button" className="secondary" onClick={signOut}>
                退出
              </button>
            </>
          ) : (
            <Link to="/console/">登录</Link>
          )}
        </div>
      </header>
      <main>
        <Suspense fallback={<p className="muted">正在加载…</p>}>{content}</Suspense>
      </main>
    </div>
  );
}
