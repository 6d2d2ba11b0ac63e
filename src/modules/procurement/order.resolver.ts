import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { validatePageArgs } from "../../db/keyset.js";
import { toConnection } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseInput } from "../../graphql/validation.js";
import { Product } from "../catalog/index.js";
import type { OrderRow } from "./procurement.schema.js";
import {
  BudgetUnit,
  CancelReservationInput,
  CancelReservationPayload,
  ConfirmDeliveryInput,
  ConfirmDeliveryPayload,
  MarkShippedInput,
  MarkShippedPayload,
  Order,
  OrderConnection,
  OrderFilter,
  ReservePurchaseInput,
  ReservePurchasePayload,
} from "./procurement.types.js";

@Resolver(() => Order)
export class OrderResolver {
  @Authorized()
  @Query(() => OrderConnection, { description: "Orders, newest first: an officer's unit (and units below it), an enterprise's products, or all." })
  async orders(
    @Arg("filter", () => OrderFilter, { nullable: true }) filter: OrderFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, actor }: RequestContext,
  ) {
    validatePageArgs(page);
    const parsed = {
      budgetUnitId: filter?.budgetUnitId ? fromGlobalIdOf("BudgetUnit", filter.budgetUnitId, "filter.budgetUnitId") : undefined,
      productId: filter?.productId ? fromGlobalIdOf("Product", filter.productId, "filter.productId") : undefined,
      status: filter?.status,
      year: filter?.year,
    };
    const result = await services.orders.ordersPage(actor, parsed, page);
    return toConnection(result, () => services.orders.ordersCount(actor, parsed));
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => ReservePurchasePayload, { description: "Reserves supply of a listed product for the unit; never oversells; idempotent per key." })
  reservePurchase(@Arg("input", () => ReservePurchaseInput) input: ReservePurchaseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const max = context.services.orders.maxQuantity;
      const parsed = parseInput(
        z.object({
          quantity: z.number().int().min(1, "must be at least 1").max(max, `must be at most ${max}`),
          idempotencyKey: z.string().trim().regex(/^[A-Za-z0-9._:-]{8,100}$/, "8–100 letters, digits or . _ : -"),
        }),
        { quantity: input.quantity, idempotencyKey: input.idempotencyKey },
      );
      const budgetUnitId = inputId("BudgetUnit", input.budgetUnitId, "budgetUnitId");
      const productId = inputId("Product", input.productId, "productId");
      const { order } = await context.services.orders.reserve(commandOf(context), { budgetUnitId, productId, channel: input.channel, ...parsed });
      const [quota] = await context.services.quotas.list(context.actor, { budgetUnitId, year: order.year });
      const [product] = await context.services.catalog.productsByIds([productId]);
      return { order, quota, product };
    });
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => CancelReservationPayload, { description: "RESERVED → CANCELLED; the supply returns." })
  cancelReservation(@Arg("input", () => CancelReservationInput) input: CancelReservationInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({ order: await context.services.orders.cancel(commandOf(context), inputId("Order", input.orderId, "orderId")) }));
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => MarkShippedPayload, { description: "RESERVED → SHIPPED, by the supplying enterprise." })
  markShipped(@Arg("input", () => MarkShippedInput) input: MarkShippedInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({ order: await context.services.orders.ship(commandOf(context), inputId("Order", input.orderId, "orderId")) }));
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => ConfirmDeliveryPayload, { description: "SHIPPED → DELIVERED: goods and invoice accepted (验货)." })
  confirmDelivery(@Arg("input", () => ConfirmDeliveryInput) input: ConfirmDeliveryInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({ order: await context.services.orders.confirmDelivery(commandOf(context), inputId("Order", input.orderId, "orderId")) }));
  }

  @FieldResolver(() => ID)
  id(@Root() order: OrderRow) {
    return toGlobalId("Order", order.id);
  }

  @FieldResolver(() => BudgetUnit)
  budgetUnit(@Root() order: OrderRow, @Ctx() { loaders }: RequestContext) {
    return loaders.budgetUnitById.load(order.budgetUnitId);
  }

  @FieldResolver(() => Product, { description: "The product as it is now (the order keeps the price it was reserved at)." })
  product(@Root() order: OrderRow, @Ctx() { loaders }: RequestContext) {
    return loaders.productById.load(order.productId);
  }
}
