import DataLoader from "dataloader";
import { describe, expect, it } from "vitest";
import { lazyLoaderGroups } from "../src/graphql/dataloader.js";
import { useTestApi } from "./support/api.js";

/**
 * A request's loaders are built per module group when first read (src/graphql/dataloader.ts): the
 * same loader for the whole request, fresh ones for the next, a group built at most once.
 */

interface Context {
  name: string;
}

function groups() {
  const built: string[] = [];
  const places = (context: Context) => {
    built.push(`places:${context.name}`);
    return {
      villageByCode: new DataLoader<string, string>(async (codes) => codes.map((code) => `${context.name}:${code}`)),
      countyByCode: new DataLoader<string, string>(async (codes) => codes.map((code) => `县 ${code}`)),
    };
  };
  const people = (context: Context) => {
    built.push(`people:${context.name}`);
    return { headByHousehold: new DataLoader<string, string>(async (ids) => ids.map(() => `龙先兰 (${context.name})`)) };
  };
  const renamed = () => {
    built.push("renamed");
    return { countyByCode: new DataLoader<string, string>(async (codes) => codes.map((code) => `州 ${code}`)) };
  };
  return { built, create: lazyLoaderGroups<Context, Record<string, DataLoader<string, string>>>([places, people, renamed]) };
}

describe("lazy loader groups", () => {
  it("builds a group when one of its loaders is first read, once per request, fresh for each request", async () => {
    const { built, create } = groups();
    // The first request learns the names and builds every group.
    const first = create({ name: "first" });
    expect(built).toEqual(["places:first", "people:first", "renamed"]);
    expect(await first.villageByCode!.load("433124")).toBe("first:433124");
    built.length = 0;

    const second = create({ name: "second" });
    expect(built).toEqual([]);
    const loader = second.villageByCode!;
    expect(second.villageByCode).toBe(loader);
    expect(second.villageByCode).not.toBe(first.villageByCode);
    expect(built).toEqual(["places:second"]);
    expect(await loader.load("433124")).toBe("second:433124");
    expect(await second.headByHousehold!.load("h1")).toBe("龙先兰 (second)");
    expect(built).toEqual(["places:second", "people:second"]);
    expect(second.headByHousehold).toBe(second.headByHousehold);
    expect(built).toEqual(["places:second", "people:second"]);
  });

  it("names a loader after the last group that has it, as a spread would", async () => {
    const { create } = groups();
    create({ name: "first" });
    const loaders = create({ name: "second" });
    expect(await loaders.countyByCode!.load("433100")).toBe("州 433100");
    expect(Object.keys(loaders).length).toBe(0);
    expect("villageByCode" in loaders).toBe(true);
  });
});

const setup = useTestApi();

describe("a request's loaders through the API", () => {
  it("answer a page's relations, each module's loaders built by the request that reads them", async () => {
    const query = `{ catalog(first: 3) { nodes { name enterprise { name county { name } } originCounty { name } } } }`;
    for (let i = 0; i < 2; i++) {
      const { data, errors } = await setup.api.run(query);
      expect(errors).toBeUndefined();
      expect(data.catalog.nodes).toHaveLength(3);
      for (const node of data.catalog.nodes) {
        expect(node.enterprise.name).toMatch(/公司|合作社|厂/);
        expect(node.enterprise.county.name).toMatch(/[县市]$/);
        expect(node.originCounty.name).toMatch(/[县市]$/);
      }
    }
  });
});
