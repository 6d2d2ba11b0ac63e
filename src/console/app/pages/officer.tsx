import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type UserError, type Viewer, gql, userErrorText } from "../api.js";
import { chinaToday, orderStatusLabels, percent, yuan } from "../labels.js";
import { Link } from "../router.js";

// 我的采购: a procurement officer's unit — its reserved share (预留份额) for the year, progress, and
// orders: reserve from the catalog, cancel a reservation, confirm a shipped delivery (验收).

interface Quota {
  reservedAmount: string;
  canteenFoodTotal: string;
  deliveredAmount: string;
  openAmount: string;
  completionRate: number | null;
  status: string;
}
interface Order {
  id: string;
  quantity: number;
  unitPrice: string;
  amount: string;
  status: string;
  createdAt: string;
  product: { id: string; name: string; unit: string; catalogNo: string | null };
}
interface Offer {
  id: string;
  name: string;
  unit: string;
  unitPrice: string;
  catalogNo: string | null;
  availableSupply: number;
  enterprise: { name: string };
}

const UNIT = `query OfficerUnit($year: Int!, $unit: ID!) {
  quotas(filter: {year: $year, budgetUnitId: $unit}) { reservedAmount canteenFoodTotal deliveredAmount openAmount completionRate status }
  orders(filter: {budgetUnitId: $unit, year: $year}, first: 100) {
    nodes { id quantity unitPrice amount status createdAt product { id name unit catalogNo } }
  }
}`;
const OFFERS = `query Offers($search: String) {
  catalog(filter: {search: $search}, first: 10) { nodes { id name unit unitPrice catalogNo availableSupply enterprise { name } } }
}`;
const RESERVE = `mutation Reserve($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id } userErrors { code message } } }`;
const CANCEL = `mutation Cancel($input: CancelReservationInput!) { cancelReservation(input: $input) { order { id status } userErrors { code message } } }`;
const CONFIRM = `mutation Confirm($input: ConfirmDeliveryInput!) { confirmDelivery(input: $input) { order { id status } userErrors { code message } } }`;

/** An idempotency key per reservation attempt (crypto.randomUUID needs a secure context; an intranet host may be plain http). */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function OfficerPage({ viewer }: { viewer: Viewer }) {
  const unit = viewer.budgetUnit;
  const year = Number(chinaToday().slice(0, 4));
  const [quota, setQuota] = useState<Quota | null | undefined>(undefined);
  const [orders, setOrders] = useState<Order[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});

  const reload = useCallback(() => {
    if (!unit) return;
    gql<{ quotas: Quota[]; orders: { nodes: Order[] } }>(UNIT, { year, unit: unit.id }).then(
      (data) => {
        setQuota(data.quotas[0] ?? null);
        setOrders(data.orders.nodes);
      },
      (e: Error) => setMessage(e.message),
    );
  }, [unit, year]);
  useEffect(reload, [reload]);

  if (!unit) return <p className="error">此账号没有预算单位（只有采购员可以下单）</p>;

  async function act(mutation: string, name: "cancelReservation" | "confirmDelivery", input: Record<string, unknown>, done: string) {
    try {
      const data = await gql<Record<string, { userErrors: UserError[] }>>(mutation, { input });
      setMessage(userErrorText(data[name]!.userErrors) ?? done);
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <div className="officer">
      <section className="card" data-quota={quota ? "declared" : "none"}>
        <h2>
          {unit.name} · {year} 年预留份额
        </h2>
        {quota === undefined ? (
          <p className="muted">正在加载…</p>
        ) : quota === null ? (
          <p className="error">本单位尚未申报 {year} 年预留份额（declareQuota）</p>
        ) : (
          <div className="kpis">
            <Figure label="食堂食材采购总额" value={`¥${yuan(quota.canteenFoodTotal)}`} />
            <Figure label="预留份额" value={`¥${yuan(quota.reservedAmount)}`} field="reservedAmount" />
            <Figure label="已验收" value={`¥${yuan(quota.deliveredAmount)}`} field="deliveredAmount" />
            <Figure label="在途（已预订/已发货）" value={`¥${yuan(quota.openAmount)}`} field="openAmount" />
            <Figure label="采购执行进度" value={percent(quota.completionRate)} field="completionRate" />
          </div>
        )}
        {quota ? (
          <div className="progress-bar" aria-label="采购执行进度">
            <div style={{ width: `${Math.min(100, (quota.completionRate ?? 0) * 100)}%` }} />
          </div>
        ) : null}
      </section>

      <Reserve unitId={unit.id} onReserved={(text) => (setMessage(text), reload())} />

      {message ? <p className="notice" role="status">{message}</p> : null}

      <section className="card">
        <h2>本单位订单</h2>
        <table className="table" data-orders="">
          <thead>
            <tr>
              <th>产品</th>
              <th>数量</th>
              <th>单价（元）</th>
              <th>金额（元）</th>
              <th>状态</th>
              <th>下单时间</th>
              <th>说明 / 发票号</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id} data-order-id={o.id} data-order-status={o.status} data-product-name={o.product.name}>
                <td>
                  <Link to={`/console/products/${encodeURIComponent(o.product.id)}`}>{o.product.name}</Link>
                </td>
                <td className="num">
                  {o.quantity} {o.product.unit}
                </td>
                <td className="num">{yuan(o.unitPrice)}</td>
                <td className="num">{yuan(o.amount)}</td>
                <td>{orderStatusLabels[o.status] ?? o.status}</td>
                <td>{new Date(o.createdAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}</td>
                <td>
                  {o.status === "RESERVED" || o.status === "SHIPPED" ? (
                    <input
                      name="note"
                      aria-label={o.status === "SHIPPED" ? "发票号码" : "取消原因"}
                      placeholder={o.status === "SHIPPED" ? "发票号码" : "取消原因"}
                      value={notes[o.id] ?? ""}
                      onChange={(e) => setNotes((n) => ({ ...n, [o.id]: e.target.value }))}
                    />
                  ) : null}
                </td>
                <td className="row-actions">
                  {o.status === "RESERVED" ? (
                    <button type="button" className="danger" data-action="cancel" onClick={() => void act(CANCEL, "cancelReservation", { orderId: o.id, reason: notes[o.id]?.trim() || null }, `已取消「${o.product.name}」的预订`)}>
                      取消预订
                    </button>
                  ) : null}
                  {o.status === "SHIPPED" ? (
                    <button type="button" data-action="confirm" onClick={() => void act(CONFIRM, "confirmDelivery", { orderId: o.id, invoiceNo: notes[o.id]?.trim() || null }, `已验收「${o.product.name}」`)}>
                      确认验收
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {orders.length === 0 ? <p className="muted">本年度暂无订单</p> : null}
      </section>
    </div>
  );
}

function Figure({ label, value, field }: { label: string; value: string; field?: string }) {
  return (
    <div className="card kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-field={field}>
        {value}
      </div>
    </div>
  );
}

/** 预订: find a catalog product and reserve a quantity against the unit's year. */
function Reserve({ unitId, onReserved }: { unitId: string; onReserved: (message: string) => void }) {
  const [search, setSearch] = useState("");
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  async function find(event: FormEvent) {
    event.preventDefault();
    try {
      setOffers((await gql<{ catalog: { nodes: Offer[] } }>(OFFERS, { search: search.trim() || null })).catalog.nodes);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function reserve(offer: Offer) {
    const quantity = Number(quantities[offer.id] ?? "1");
    try {
      const { reservePurchase } = await gql<{ reservePurchase: { userErrors: UserError[] } }>(RESERVE, {
        input: { budgetUnitId: unitId, productId: offer.id, quantity, idempotencyKey: idempotencyKey(), channel: "CANTEEN" },
      });
      const problem = userErrorText(reservePurchase.userErrors);
      if (problem) setError(problem);
      else {
        setError(null);
        onReserved(`已预订「${offer.name}」${quantity} ${offer.unit}`);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="card">
      <h2>从目录预订</h2>
      <form className="toolbar" onSubmit={find} aria-label="查找产品">
        <input type="search" name="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="产品、品牌或企业名称" aria-label="查找产品" />
        <button type="submit">查找</button>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {offers?.length === 0 ? <p className="muted">没有找到在录产品</p> : null}
      {offers && offers.length > 0 ? (
        <table className="table" data-offers="">
          <thead>
            <tr>
              <th>产品</th>
              <th>企业</th>
              <th>单价（元）</th>
              <th>可供</th>
              <th>数量</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {offers.map((o) => (
              <tr key={o.id} data-product-id={o.id} data-product-name={o.name}>
                <td>
                  {o.name}
                  <div className="muted">{o.catalogNo}</div>
                </td>
                <td>{o.enterprise.name}</td>
                <td className="num">{yuan(o.unitPrice)}</td>
                <td className="num">
                  {o.availableSupply} {o.unit}
                </td>
                <td>
                  <input
                    name="quantity"
                    aria-label="数量"
                    className="quantity"
                    inputMode="numeric"
                    value={quantities[o.id] ?? "1"}
                    onChange={(e) => setQuantities((q) => ({ ...q, [o.id]: e.target.value }))}
                  />
                </td>
                <td>
                  <button type="button" data-action="reserve" onClick={() => void reserve(o)}>
                    预订
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
