import "reflect-metadata";
import { graphql } from "graphql";
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Info, type MiddlewareFn, ObjectType, Query, Resolver, Root, UseMiddleware, buildSchema } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import { describe, expect, it } from "vitest";
import { apiSchema } from "../src/app.js";
import { authChecker } from "../src/graphql/auth.js";
import { useDirectFieldResolvers } from "../src/graphql/direct-resolvers.js";

/**
 * Field resolvers that only read the root, the context and the info are called directly instead of
 * through type-graphql's per-call wrapper (src/graphql/direct-resolvers.ts); roles, middleware and
 * arguments keep the wrapper, and every field answers as before.
 */

interface ThingRow {
  id: string;
  ownerId: string;
}

@ObjectType({ simpleResolvers: true })
class Thing {
  @Field(() => ID)
  id!: string;
}

const seen: string[] = [];
const recordCall: MiddlewareFn = async ({ info }, next) => {
  seen.push(info.fieldName);
  return next();
};

@Resolver(() => Thing)
class ThingResolver {
  @Query(() => [Thing])
  things(): ThingRow[] {
    return [
      { id: "1", ownerId: "张三" },
      { id: "2", ownerId: "李四" },
    ];
  }

  @FieldResolver(() => String)
  owner(@Root() thing: ThingRow, @Ctx() context: { prefix: string }) {
    return `${context.prefix}${thing.ownerId}`;
  }

  @FieldResolver(() => String)
  path(@Info() info: GraphQLResolveInfo, @Root() thing: ThingRow) {
    return `${info.parentType.name}.${info.fieldName}:${thing.id}`;
  }

  @FieldResolver(() => String)
  greeting(@Root() thing: ThingRow, @Arg("word", () => String) word: string) {
    return `${word} ${thing.ownerId}`;
  }

  @Authorized("ADMIN")
  @FieldResolver(() => String)
  secret(@Root() thing: ThingRow) {
    return `secret of ${thing.id}`;
  }

  @UseMiddleware(recordCall)
  @FieldResolver(() => String)
  watched(@Root() thing: ThingRow) {
    return `watched ${thing.id}`;
  }

  @FieldResolver(() => String, { nullable: true })
  failing(): string {
    throw new Error("湘西 failure");
  }
}

async function thingSchema(direct: boolean) {
  const schema = await buildSchema({ resolvers: [ThingResolver], authChecker, authMode: "error", validate: false });
  const replaced = direct ? useDirectFieldResolvers(schema, [ThingResolver]) : [];
  return { schema, replaced };
}

const query = `{ things { id owner path greeting(word: "你好") watched failing } }`;
const secretQuery = `{ things { id secret } }`;

describe("direct field resolvers", () => {
  it("calls root/context/info resolvers directly and leaves roles, middleware and arguments to type-graphql", async () => {
    const { replaced } = await thingSchema(true);
    expect(replaced.sort()).toEqual(["Thing.failing", "Thing.owner", "Thing.path"]);
  });

  it("answers as type-graphql's wrapper does: values, errors, middleware, authorization", async () => {
    const wrapped = await thingSchema(false);
    const direct = await thingSchema(true);
    const contextValue = { prefix: "户主 ", actor: { kind: "anonymous" } };
    seen.length = 0;
    const expected = await graphql({ schema: wrapped.schema, source: query, contextValue });
    const expectedCalls = [...seen];
    seen.length = 0;
    const actual = await graphql({ schema: direct.schema, source: query, contextValue });
    expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(seen).toEqual(expectedCalls);
    expect(seen).toEqual(["watched", "watched"]);
    expect(actual.data?.things).toEqual([
      { id: "1", owner: "户主 张三", path: "Thing.path:1", greeting: "你好 张三", watched: "watched 1", failing: null },
      { id: "2", owner: "户主 李四", path: "Thing.path:2", greeting: "你好 李四", watched: "watched 2", failing: null },
    ]);
    expect(actual.errors?.map((e) => e.message)).toEqual(["湘西 failure", "湘西 failure"]);
    // @Authorized still checked for every call
    const refused = await graphql({ schema: direct.schema, source: secretQuery, contextValue });
    expect(refused.errors?.[0]?.message).toMatch(/Log in first/);
    const admin = await graphql({ schema: direct.schema, source: secretQuery, contextValue: { actor: { kind: "user", role: "ADMIN" } } });
    expect(admin.data?.things).toEqual([
      { id: "1", secret: "secret of 1" },
      { id: "2", secret: "secret of 2" },
    ]);
  });

  it("applies to the API's hot relations (a catalog page's id, enterprise and county)", async () => {
    const schema = await apiSchema();
    const fields = (type: string) => (schema.getType(type) as unknown as { getFields(): Record<string, { resolve?: Function }> }).getFields();
    for (const [type, field] of [
      ["Product", "id"],
      ["Product", "enterprise"],
      ["Product", "originCounty"],
      ["Product", "originVillage"],
      ["Enterprise", "county"],
    ] as const) {
      expect(fields(type)[field]!.resolve!.toString(), `${type}.${field}`).toMatch(/call\.call\(self/);
    }
  });
});
