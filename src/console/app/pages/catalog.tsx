import { type FormEvent, useEffect, useState } from "react";
import { gql } from "../api.js";
import { categoryLabels, counties, productStatusLabels, yuan } from "../labels.js";
import { Link } from "../router.js";

// 产品目录: the catalog for anyone (search and filters), and a product's page.

interface CatalogProduct {
  id: string;
  name: string;
  brand: string | null;
  catalogNo: string | null;
  category: string;
  spec: string;
  unit: string;
  unitPrice: string;
  enterprise: { name: string };
  originCounty: { name: string };
  beneficiaryHouseholdCount: number;
}

const CATALOG = `query Catalog($filter: CatalogFilter, $after: String) {
  catalog(filter: $filter, orderBy: {field: CATALOG_NO, direction: ASC}, first: 30, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name brand catalogNo category spec unit unitPrice enterprise { name } originCounty { name } beneficiaryHouseholdCount }
  }
}`;

interface Filters {
  search: string;
  countyCode: string;
  category: string;
  minPrice: string;
  maxPrice: string;
}

const noFilters: Filters = { search: "", countyCode: "", category: "", minPrice: "", maxPrice: "" };

export function CatalogPage() {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [page, setPage] = useState<{ nodes: CatalogProduct[]; totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (after: string | null) => {
    const filter = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== ""));
    gql<{ catalog: NonNullable<typeof page> }>(CATALOG, { filter, after }).then(
      (data) => {
        setError(null);
        setPage((current) => (after && current ? { ...data.catalog, nodes: [...current.nodes, ...data.catalog.nodes] } : data.catalog));
      },
      (e: Error) => setError(e.message),
    );
  };
  useEffect(() => load(null), [filters]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ ...draft }); // a new object: the same search again reloads
  };
  const field = (name: keyof Filters) => ({ name, value: draft[name], onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value })) });

  return (
    <div className="catalog">
      <form className="card toolbar filters" onSubmit={submit} aria-label="筛选">
        <input {...field("search")} type="search" placeholder="产品、品牌或企业名称" aria-label="搜索" />
        <select {...field("countyCode")} aria-label="产地">
          <option value="">全部县市</option>
          {counties.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <select {...field("category")} aria-label="类别">
          <option value="">全部类别</option>
          {Object.entries(categoryLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <input {...field("minPrice")} inputMode="decimal" placeholder="最低价" aria-label="最低价" className="price" />
        <input {...field("maxPrice")} inputMode="decimal" placeholder="最高价" aria-label="最高价" className="price" />
        <button type="submit">查询</button>
      </form>
      {error ? <p className="error">{error}</p> : null}
      {page ? <p className="muted">共 {page.totalCount} 个在录产品</p> : <p className="muted">正在加载…</p>}
      <div className="product-grid" data-catalog-count={page?.totalCount ?? ""}>
        {(page?.nodes ?? []).map((p) => (
          <Link key={p.id} to={`/console/products/${encodeURIComponent(p.id)}`} className="card product-card">
            <div className="catalog-no">{p.catalogNo}</div>
            <div className="product-name">{p.name}</div>
            <div className="muted">
              {p.enterprise.name} · {p.originCounty.name}
            </div>
            <div className="product-facts">
              <span className="price">¥{yuan(p.unitPrice)}</span>/{p.unit} · {categoryLabels[p.category] ?? p.category} · 带贫 {p.beneficiaryHouseholdCount} 户
            </div>
          </Link>
        ))}
      </div>
      {page?.pageInfo.hasNextPage ? (
        <button type="button" className="secondary" onClick={() => load(page.pageInfo.endCursor)}>
          加载更多
        </button>
      ) : null}
    </div>
  );
}

interface ProductDetail extends CatalogProduct {
  status: string;
  batch: string | null;
  validFrom: string | null;
  validUntil: string | null;
  availableSupply: number;
  annualSupplyCapacity: number;
  description: string | null;
  originVillage: { name: string } | null;
}

const PRODUCT = `query Product($id: ID!) {
  product(id: $id) {
    id name brand catalogNo category spec unit unitPrice status batch validFrom validUntil availableSupply annualSupplyCapacity description
    enterprise { name } originCounty { name } originVillage { name } beneficiaryHouseholdCount
  }
}`;

/** 产品页: catalog number, origin, 带贫人数 and the listing's validity. */
export function ProductPage({ id }: { id: string }) {
  const [product, setProduct] = useState<ProductDetail | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql<{ product: ProductDetail | null }>(PRODUCT, { id }).then(
      (data) => setProduct(data.product),
      (e: Error) => setError(e.message),
    );
  }, [id]);
  if (error) return <p className="error">{error}</p>;
  if (product === undefined) return <p className="muted">正在加载…</p>;
  if (product === null) return <p className="error">没有这个产品，或您无权查看</p>;
  const expired = product.status === "LISTED" && product.validUntil !== null && product.validUntil < new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const status = expired ? "EXPIRED" : product.status;
  return (
    <article className="card product-page" data-product-status={status} data-catalog-no={product.catalogNo ?? ""}>
      <p>
        <Link to="/console/catalog">← 产品目录</Link>
      </p>
      <h2>
        {product.name} <span className={`badge status-${status.toLowerCase()}`}>{productStatusLabels[status] ?? status}</span>
      </h2>
      <dl className="facts">
        <dt>目录编号</dt>
        <dd data-field="catalogNo">{product.catalogNo ?? "（未入录）"}</dd>
        <dt>品牌</dt>
        <dd>{product.brand ?? "—"}</dd>
        <dt>类别</dt>
        <dd>{categoryLabels[product.category] ?? product.category}</dd>
        <dt>规格</dt>
        <dd>
          {product.spec}（{product.unit}）
        </dd>
        <dt>单价</dt>
        <dd>¥{yuan(product.unitPrice)}</dd>
        <dt>产地</dt>
        <dd data-field="origin">
          {product.originCounty.name}
          {product.originVillage ? ` ${product.originVillage.name}` : ""}
        </dd>
        <dt>供货企业</dt>
        <dd>{product.enterprise.name}</dd>
        <dt>带贫人数</dt>
        <dd data-field="beneficiaryHouseholdCount">{product.beneficiaryHouseholdCount} 户</dd>
        <dt>入录批次</dt>
        <dd>{product.batch ?? "—"}</dd>
        <dt>有效期</dt>
        <dd>{product.validFrom ? `${product.validFrom} 至 ${product.validUntil}` : "—"}</dd>
        <dt>可供数量</dt>
        <dd>
          {product.availableSupply} {product.unit}（年供货能力 {product.annualSupplyCapacity}）
        </dd>
      </dl>
      {product.description ? <p>{product.description}</p> : null}
    </article>
  );
}
