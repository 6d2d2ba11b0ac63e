import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseInput } from "../../graphql/inputs.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Enterprise } from "../enterprises/index.js";
import { Division } from "../geography/index.js";
import { BudgetUnit } from "../procurement/index.js";
import type { UserRow } from "./account.schema.js";
import { CreateUserInput, DisableUserInput, LoginInput, createUserSchema, disableUserSchema, loginSchema } from "./account.inputs.js";
import { CreateUserPayload, DisableUserPayload, LoginPayload, User, Viewer } from "./account.types.js";

@Resolver(() => User)
export class AccountResolver {
  @Query(() => Viewer, { nullable: true, description: "Who is calling; null when anonymous." })
  viewer(@Ctx() { actor }: RequestContext) {
    if (actor.kind === "user") return { userId: actor.userId, partnerName: null } satisfies ViewerRoot;
    if (actor.kind === "apiKey") return { user: null, partnerName: actor.partnerName } satisfies ViewerRoot;
    return null;
  }

  @Mutation(() => LoginPayload, { description: "Exchanges username and password for a bearer token." })
  login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { username, password } = await parseInput(loginSchema, input);
      const { token, expiresAt, user } = await context.services.accounts.login(username, password, context.clientAddress, context.requestId);
      // The user has just proved who it is: the payload shows its own account (the request itself is anonymous).
      return { token, expiresAt, viewer: { user, partnerName: null } satisfies ViewerRoot };
    });
  }

  @Authorized("ADMIN")
  @Mutation(() => CreateUserPayload)
  createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const user = await context.services.accounts.createUser(commandOf(context), await parseInput(createUserSchema, input, context));
      return { user };
    });
  }

  @Authorized("ADMIN")
  @Mutation(() => DisableUserPayload)
  disableUser(@Arg("input", () => DisableUserInput) input: DisableUserInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { userId } = await parseInput(disableUserSchema, input, context);
      return { user: await context.services.accounts.disableUser(commandOf(context), userId) };
    });
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
  async enterprise(@Root() user: UserRow, @Ctx() { actor, loaders, services }: RequestContext) {
    if (!user.enterpriseId) return null;
    // A User reaches a caller that is not logged in only as its own, just-proved account (the login
    // and registerEnterprise payloads; userPolicy shows no other): its enterprise is shown whatever its
    // status, though the public otherwise sees VERIFIED enterprises only (enterprise policy).
    if (actor.kind !== "user") return (await services.enterprises.enterprisesByIds([user.enterpriseId]))[0] ?? null;
    return loaders.enterpriseById.load(user.enterpriseId);
  }

  @FieldResolver(() => BudgetUnit, { nullable: true, description: "预算单位: a procurement officer's budget unit (its ID is what quotas and orders take)." })
  budgetUnit(@Root() user: UserRow, @Ctx() { loaders }: RequestContext) {
    return user.budgetUnitId ? loaders.budgetUnitById.load(user.budgetUnitId) : null;
  }
}

/** A viewer names its user by ID (loaded through the User policy), or carries the row login just authenticated. */
type ViewerRoot = { userId: string; partnerName: null } | { user: UserRow | null; partnerName: string | null };

@Resolver(() => Viewer)
export class ViewerResolver {
  @FieldResolver(() => User, { nullable: true })
  user(@Root() viewer: ViewerRoot, @Ctx() { loaders }: RequestContext) {
    return "userId" in viewer ? loaders.userById.load(viewer.userId) : viewer.user;
  }
}
