import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { maybeAwaited } from "../../graphql/dataloader.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument, parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Product } from "../catalog/index.js";
import type { OrderRow } from "./procurement.schema.js";
import {
  CancelReservationInput,
  ConfirmDeliveryInput,
  MarkShippedInput,
  OrderFilter,
  RejectDeliveryInput,
  ReservePurchaseInput,
  cancelReservationSchema,
  confirmDeliverySchema,
  orderActionSchema,
  orderFilterSchema,
  rejectDeliverySchema,
  reservePurchaseSchema,
} from "./procurement.inputs.js";
import { asSeenBy } from "../../actor.js";
import {
  BudgetUnit,
  CancelReservationPayload,
  ConfirmDeliveryPayload,
  MarkShippedPayload,
  Order,
  OrderConnection,
  RejectDeliveryPayload,
  ReservePurchasePayload,
} from "./procurement.types.js";

@Resolver(() => Order)
export class OrderResolver {
  @Authorized()
  @Query(() => OrderConnection, {
    description: "Orders, newest first: an officer's unit (and units below it), an enterprise's products, a reviewer's jurisdiction's products (the prefecture's: all), or all (admins).",
  })
  async orders(
    @Arg("filter", () => OrderFilter, { nullable: true }) filter: OrderFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, actor }: RequestContext,
  ) {
    const parsed = parseArgument(orderFilterSchema, filter ?? {}, "filter");
    return connectionOf(page, (p) => services.orders.ordersPage(actor, parsed, p), () => services.orders.ordersCount(actor, parsed));
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => ReservePurchasePayload, { description: "Reserves supply of a listed product for the unit; never oversells; idempotent per key." })
  reservePurchase(@Arg("input", () => ReservePurchaseInput) input: ReservePurchaseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { services, actor, loaders } = context;
      const reservation = await parseInput(reservePurchaseSchema(services.orders.maxQuantity), input, context);
      const { order } = await services.orders.reserve(commandOf(context), reservation);
      const [quota] = await services.quotas.list(actor, { budgetUnitId: reservation.budgetUnitId, year: order.year });
      return {
        order: await asSeenBy(services.orders.policy, actor, order),
        quota,
        // Loaded only now, after the reservation: the unit has ordered it, and the supply is the new one.
        product: maybeAwaited(loaders.productById.load(reservation.productId)),
      };
    });
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => CancelReservationPayload, { description: "RESERVED → CANCELLED by the unit's own officer, with its reason if given; the supply returns." })
  cancelReservation(@Arg("input", () => CancelReservationInput) input: CancelReservationInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { orderId, reason } = await parseInput(cancelReservationSchema, input, context);
      return { order: await asSeenBy(context.services.orders.policy, context.actor, await context.services.orders.cancel(commandOf(context), orderId, reason)) };
    });
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => MarkShippedPayload, { description: "RESERVED → SHIPPED, by the supplying enterprise." })
  markShipped(@Arg("input", () => MarkShippedInput) input: MarkShippedInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { orderId } = await parseInput(orderActionSchema, input, context);
      return { order: await asSeenBy(context.services.orders.policy, context.actor, await context.services.orders.ship(commandOf(context), orderId)) };
    });
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => ConfirmDeliveryPayload, {
    description:
      "SHIPPED → DELIVERED by the unit's own officer: goods and invoice accepted (验货), the invoice number and a note kept on the order. " +
      "The amount counts toward completion.",
  })
  confirmDelivery(@Arg("input", () => ConfirmDeliveryInput) input: ConfirmDeliveryInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { orderId, ...receipt } = await parseInput(confirmDeliverySchema, input, context);
      return { order: await asSeenBy(context.services.orders.policy, context.actor, await context.services.orders.confirmDelivery(commandOf(context), orderId, receipt)) };
    });
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => RejectDeliveryPayload, {
    description:
      "SHIPPED → REJECTED (拒收) by the unit's own officer: the goods are refused, with a reason; the supply returns exactly once " +
      "and the order counts nowhere. Only a SHIPPED order (else INVALID_TRANSITION).",
  })
  rejectDelivery(@Arg("input", () => RejectDeliveryInput) input: RejectDeliveryInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { orderId, reason } = await parseInput(rejectDeliverySchema, input, context);
      return { order: await asSeenBy(context.services.orders.policy, context.actor, await context.services.orders.reject(commandOf(context), orderId, reason)) };
    });
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
