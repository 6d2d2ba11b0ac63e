import { useCallback, useEffect, useState } from "react";
import { type UserError, type Viewer, gql, userErrorText } from "../api.js";
import { categoryLabels, yuan } from "../labels.js";
import { Link } from "../router.js";

// 审核队列: a county office certifies (认定) or rejects its county's submitted products, oldest first;
// the prefecture office enters certified products in the catalog (入录) as a batch.

interface QueueProduct {
  id: string;
  name: string;
  brand: string | null;
  category: string;
  spec: string;
  unit: string;
  unitPrice: string;
  updatedAt: string;
  enterprise: { name: string };
  originCounty: { name: string };
  originVillage: { name: string } | null;
  beneficiaryHouseholdCount: number;
}

const FIELDS = `id name brand category spec unit unitPrice updatedAt enterprise { name } originCounty { name } originVillage { name } beneficiaryHouseholdCount`;
const QUEUE = `query ReviewQueue($status: ProductStatus!, $county: String) {
  products(filter: {status: $status, countyCode: $county}, orderBy: {field: UPDATED_AT, direction: ASC}, first: 100) { nodes { ${FIELDS} } }
}`;
const REVIEW = `mutation Review($input: ReviewProductInput!) { reviewProduct(input: $input) { product { id status } userErrors { code message } } }`;
const LIST = `mutation List($input: ListProductsInput!) { listProducts(input: $input) { products { id catalogNo } userErrors { code message } } }`;

const when = (instant: string) => new Date(instant).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

function useQueue(status: "SUBMITTED" | "CERTIFIED", county: string | null) {
  const [products, setProducts] = useState<QueueProduct[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    gql<{ products: { nodes: QueueProduct[] } }>(QUEUE, { status, county }).then(
      (data) => setProducts(data.products.nodes),
      (e: Error) => setError(e.message),
    );
  }, [status, county]);
  useEffect(reload, [reload]);
  return { products, error, reload };
}

export function ReviewPage({ viewer }: { viewer: Viewer }) {
  const county = viewer.division?.level === "COUNTY" ? viewer.division : null;
  const prefecture = viewer.role === "ADMIN" || viewer.division?.level === "PREFECTURE";
  return (
    <div className="review">
      {county || viewer.role === "ADMIN" ? <CountyQueue countyCode={county?.code ?? null} countyName={county?.name ?? "全州"} /> : null}
      {prefecture ? <ListingQueue /> : null}
    </div>
  );
}

/** Submitted products of the office's county, oldest first: 认定 or 不通过, with a comment. */
function CountyQueue({ countyCode, countyName }: { countyCode: string | null; countyName: string }) {
  const { products, error, reload } = useQueue("SUBMITTED", countyCode);
  const [comments, setComments] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  async function decide(product: QueueProduct, decision: "APPROVE" | "REJECT") {
    const comment = comments[product.id]?.trim() || null;
    if (decision === "REJECT" && !comment) {
      setMessage("不通过时请填写原因");
      return;
    }
    try {
      const { reviewProduct } = await gql<{ reviewProduct: { userErrors: UserError[] } }>(REVIEW, { input: { productId: product.id, decision, comment } });
      const problem = userErrorText(reviewProduct.userErrors);
      setMessage(problem ?? `「${product.name}」${decision === "APPROVE" ? "已认定" : "未通过"}`);
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <section className="card">
      <h2>待认定产品 · {countyName}</h2>
      <p className="muted">本县申报的产品，按申报时间先后排列。</p>
      {message ? <p className="notice" role="status">{message}</p> : null}
      {error ? <p className="error">{error}</p> : null}
      {products?.length === 0 ? <p className="muted" data-empty="submitted">暂无待认定产品</p> : null}
      <table className="table" data-queue="submitted">
        <thead>
          <tr>
            <th>产品</th>
            <th>企业</th>
            <th>产地</th>
            <th>类别</th>
            <th>单价（元）</th>
            <th>带贫人数</th>
            <th>申报时间</th>
            <th>审核意见</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(products ?? []).map((p) => (
            <tr key={p.id} data-product-id={p.id} data-product-name={p.name}>
              <td>
                <Link to={`/console/products/${encodeURIComponent(p.id)}`}>{p.name}</Link>
                <div className="muted">
                  {p.brand ?? ""} {p.spec}/{p.unit}
                </div>
              </td>
              <td>{p.enterprise.name}</td>
              <td>
                {p.originCounty.name}
                {p.originVillage ? ` ${p.originVillage.name}` : ""}
              </td>
              <td>{categoryLabels[p.category] ?? p.category}</td>
              <td className="num">{yuan(p.unitPrice)}</td>
              <td className="num">{p.beneficiaryHouseholdCount}</td>
              <td>{when(p.updatedAt)}</td>
              <td>
                <input name="comment" aria-label="审核意见" value={comments[p.id] ?? ""} onChange={(e) => setComments((c) => ({ ...c, [p.id]: e.target.value }))} placeholder="不通过时必填" />
              </td>
              <td className="row-actions">
                <button type="button" onClick={() => void decide(p, "APPROVE")} data-action="approve">
                  认定
                </button>
                <button type="button" className="danger" onClick={() => void decide(p, "REJECT")} data-action="reject">
                  不通过
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Certified products awaiting listing: the prefecture office enters a batch in the catalog. */
function ListingQueue() {
  const { products, error, reload } = useQueue("CERTIFIED", null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [batch, setBatch] = useState(`${new Date().getFullYear()}年第批`);
  const [message, setMessage] = useState<string | null>(null);

  async function list() {
    if (chosen.size === 0) return setMessage("请选择要入录的产品");
    try {
      const { listProducts } = await gql<{ listProducts: { products: { catalogNo: string }[] | null; userErrors: UserError[] } }>(LIST, {
        input: { productIds: [...chosen], batch },
      });
      const problem = userErrorText(listProducts.userErrors);
      setMessage(problem ?? `已入录 ${listProducts.products?.length ?? 0} 个产品：${(listProducts.products ?? []).map((p) => p.catalogNo).join("、")}`);
      if (!problem) setChosen(new Set());
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="card">
      <h2>待入录产品 · 湘西州</h2>
      <p className="muted">县市扶贫办已认定、尚未进入目录的产品。选择后填写批次，一并入录。</p>
      {message ? <p className="notice" role="status">{message}</p> : null}
      {error ? <p className="error">{error}</p> : null}
      <div className="toolbar">
        <label>
          批次
          <input name="batch" value={batch} onChange={(e) => setBatch(e.target.value)} />
        </label>
        <button type="button" onClick={() => void list()} data-action="list">
          入录所选（{chosen.size}）
        </button>
      </div>
      {products?.length === 0 ? <p className="muted" data-empty="certified">暂无待入录产品</p> : null}
      <table className="table" data-queue="certified">
        <thead>
          <tr>
            <th />
            <th>产品</th>
            <th>企业</th>
            <th>产地</th>
            <th>类别</th>
            <th>单价（元）</th>
            <th>认定时间</th>
          </tr>
        </thead>
        <tbody>
          {(products ?? []).map((p) => (
            <tr key={p.id} data-product-id={p.id} data-product-name={p.name}>
              <td>
                <input type="checkbox" aria-label={`选择 ${p.name}`} checked={chosen.has(p.id)} onChange={() => toggle(p.id)} />
              </td>
              <td>
                <Link to={`/console/products/${encodeURIComponent(p.id)}`}>{p.name}</Link>
              </td>
              <td>{p.enterprise.name}</td>
              <td>{p.originCounty.name}</td>
              <td>{categoryLabels[p.category] ?? p.category}</td>
              <td className="num">{yuan(p.unitPrice)}</td>
              <td>{when(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
