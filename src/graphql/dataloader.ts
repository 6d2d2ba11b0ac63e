import DataLoader from "dataloader";

/** A DataLoader for rows fetched by a unique key; a missing row loads as null. */
export function rowLoader<K, Row>(fetch: (keys: readonly K[]) => Promise<Row[]>, keyOf: (row: Row) => K): DataLoader<K, Row | null> {
  return new DataLoader<K, Row | null>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: 1000 },
  );
}

/**
 * DataLoaders whose batch also depends on arguments (e.g. a page of each parent's children with
 * the same `first`/`after`/`orderBy`): one loader per distinct argument set, within one request.
 */
export class LoadersByArguments<K, V> {
  private readonly loaders = new Map<string, DataLoader<K, V>>();

  constructor(private readonly create: (args: unknown) => DataLoader<K, V>) {}

  forArguments(args: unknown): DataLoader<K, V> {
    const signature = JSON.stringify(args);
    let loader = this.loaders.get(signature);
    if (!loader) {
      loader = this.create(args);
      this.loaders.set(signature, loader);
    }
    return loader;
  }
}

/**
 * A loader of the rows an actor may see: loads through `rows` (shared by the request), then asks the
 * type's policy about the whole batch at once; what the actor may not see loads as null.
 */
export function guardedLoader<K, Row>(
  rows: DataLoader<K, Row | null>,
  may: (rows: readonly Row[]) => boolean[] | Promise<boolean[]>,
): DataLoader<K, Row | null> {
  return new DataLoader<K, Row | null>(
    async (keys) => {
      const loaded = await rows.loadMany(keys);
      const present = loaded.filter((row): row is Row => row != null && !(row instanceof Error));
      const allowed = present.length > 0 ? await may(present) : [];
      const visible = new Set(present.filter((_, i) => allowed[i]));
      return loaded.map((row) => (row instanceof Error ? row : row != null && visible.has(row) ? row : null));
    },
    { maxBatchSize: 1000 },
  );
}

/**
 * A promise handed to graphql-js as a field's value (e.g. `product` in a payload): when the client
 * did not select the field nobody awaits it, and its failure (the database went away) must not be
 * an unhandled rejection, which ends the process. Selected, it still rejects as usual.
 */
export function maybeAwaited<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** One module's loaders for a request (e.g. catalog's `createProductLoaders`). */
export type LoaderGroup<C> = (context: C) => object;

const contextKey = Symbol("context");
const builtKey = Symbol("built");

/**
 * A request's loaders from every module's group, each group built when one of its loaders is first
 * read: a catalog page reads two modules' loaders of twelve, and building all of them (some forty
 * DataLoaders with their caches) for every request was a few per cent of its CPU and bytes that
 * stay alive while it waits for its statement. Reading the same loader twice in a request gives the
 * same loader; a group is built at most once per request. A loader's name is that of the last group
 * naming it, as with `{ ...a, ...b }`.
 *
 * The groups' loader names are learnt from the first request, which builds every group; a group
 * must name the same loaders every time (no loader only under some condition).
 */
export function lazyLoaderGroups<C, L extends object>(groups: readonly LoaderGroup<C>[]): (context: C) => L {
  type Lazy = { [contextKey]: C; [builtKey]: (object | undefined)[] };
  let prototype: object | undefined;
  const learn = (built: object[]): object => {
    const shape: Record<PropertyKey, unknown> = {};
    built.forEach((group, index) => {
      for (const name of Object.keys(group)) {
        Object.defineProperty(shape, name, {
          configurable: true,
          enumerable: true,
          get(this: Lazy) {
            const all = this[builtKey];
            return ((all[index] ??= groups[index]!(this[contextKey])) as Record<string, unknown>)[name];
          },
        });
      }
    });
    return shape;
  };
  return (context) => {
    let built: (object | undefined)[];
    if (prototype) built = new Array<object | undefined>(groups.length);
    else {
      const all = groups.map((group) => group(context));
      prototype = learn(all);
      built = all;
    }
    const loaders = Object.create(prototype) as Lazy;
    loaders[contextKey] = context;
    loaders[builtKey] = built;
    return loaders as unknown as L;
  };
}
