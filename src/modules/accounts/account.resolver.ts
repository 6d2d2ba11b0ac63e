import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { passwordSchema, usernameSchema } from "./account.inputs.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseInput } from "../../graphql/validation.js";
import { Enterprise } from "../enterprises/index.js";
import { Division } from "../geography/index.js";
import type { UserRow } from "./account.schema.js";
import {
  CreateUserInput,
  CreateUserPayload,
  DisableUserInput,
  DisableUserPayload,
  LoginInput,
  LoginPayload,
  User,
  Viewer,
} from "./account.types.js";

const loginSchema = z.object({ username: z.string().trim().min(1, "is required").max(64), password: z.string().min(1, "is required").max(200) });

const createUserSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    role: z.enum(["ADMIN", "REVIEWER", "ENTERPRISE", "OFFICER"]),
    divisionCode: z.string().regex(/^[0-9]{6}$/, "must be a county code or 433100").optional(),
    enterpriseId: z.string().optional(),
    budgetUnitId: z.string().optional(),
  })
  .refine((u) => u.role !== "REVIEWER" || u.divisionCode, { message: "a reviewer needs a division", path: ["divisionCode"] })
  .refine((u) => u.role !== "ENTERPRISE" || u.enterpriseId, { message: "an enterprise user needs an enterprise", path: ["enterpriseId"] })
  .refine((u) => u.role !== "OFFICER" || u.budgetUnitId, { message: "an officer needs a budget unit", path: ["budgetUnitId"] });

@Resolver(() => User)
export class AccountResolver {
  @Query(() => Viewer, { nullable: true, description: "Who is calling; null when anonymous." })
  viewer(@Ctx() { actor }: RequestContext) {
    if (actor.kind === "user") return { user: { id: actor.userId }, partnerName: null, userId: actor.userId };
    if (actor.kind === "apiKey") return { user: null, partnerName: actor.partnerName };
    return null;
  }

  @Mutation(() => LoginPayload, { description: "Exchanges username and password for a bearer token." })
  login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { username, password } = parseInput(loginSchema, input);
      const { token, expiresAt, user } = await context.services.accounts.login(username, password, context.clientAddress, context.requestId);
      return { token, expiresAt, viewer: { user, partnerName: null } };
    });
  }

  @Authorized("ADMIN")
  @Mutation(() => CreateUserPayload)
  createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const parsed = parseInput(createUserSchema, input);
      const user = await context.services.accounts.createUser(commandOf(context), {
        username: parsed.username,
        password: parsed.password,
        role: parsed.role,
        divisionCode: parsed.divisionCode ?? null,
        enterpriseId: parsed.enterpriseId ? inputId("Enterprise", parsed.enterpriseId, "enterpriseId") : null,
        budgetUnitId: parsed.budgetUnitId ?? null,
      });
      return { user };
    });
  }

  @Authorized("ADMIN")
  @Mutation(() => DisableUserPayload)
  disableUser(@Arg("input", () => DisableUserInput) input: DisableUserInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({
      user: await context.services.accounts.disableUser(commandOf(context), inputId("User", input.userId, "userId")),
    }));
  }

  @FieldResolver(() => ID)
  id(@Root() user: UserRow) {
    return toGlobalId("User", user.id);
  }

  @FieldResolver(() => Division, { nullable: true, description: "A reviewer's jurisdiction." })
  division(@Root() user: UserRow, @Ctx() { loaders }: RequestContext) {
    return user.divisionCode ? loaders.divisionByCode.load(user.divisionCode) : null;
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: "An enterprise user's enterprise." })
  enterprise(@Root() user: UserRow, @Ctx() { loaders }: RequestContext) {
    return user.enterpriseId ? loaders.enterpriseById.load(user.enterpriseId) : null;
  }
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @FieldResolver(() => User, { nullable: true })
  user(@Root() viewer: { user: { id: string } | null }, @Ctx() { loaders }: RequestContext) {
    return viewer.user ? loaders.userById.load(viewer.user.id) : null;
  }
}
