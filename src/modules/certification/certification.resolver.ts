import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { parseInput } from "../../graphql/inputs.js";
import { mutationPayload } from "../../graphql/payload.js";
import { User } from "../accounts/index.js";
import { Division } from "../geography/index.js";
import { certificationActorAsSeenBy } from "./certification.policy.js";
import type { ProductRow } from "../catalog/index.js";
import { Product, productAsSeen, productsAsSeen } from "../catalog/index.js";
import {
  ListProductsInput,
  ReviewProductInput,
  RevokeCertificationInput,
  SubmitProductForCertificationInput,
  listSchema,
  reviewSchema,
  revokeSchema,
  submitSchema,
} from "./certification.inputs.js";
import type { CertificationEventRow } from "./certification.schema.js";
import {
  CertificationActor,
  CertificationEvent,
  ListProductsPayload,
  ReviewProductPayload,
  RevokeCertificationPayload,
  SubmitProductForCertificationPayload,
} from "./certification.types.js";

@Resolver(() => Product)
export class CertificationResolver {
  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => SubmitProductForCertificationPayload, { description: "申报: DRAFT, REJECTED or an expired listing → SUBMITTED." })
  submitProductForCertification(@Arg("input", () => SubmitProductForCertificationInput) input: SubmitProductForCertificationInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId } = await parseInput(submitSchema, input, context);
      return { product: await productAsSeen(context, await context.services.certification.submit(commandOf(context), productId)) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => ReviewProductPayload, { description: "认定 (APPROVE → CERTIFIED) or 驳回 (REJECT → REJECTED) by the origin county's office." })
  reviewProduct(@Arg("input", () => ReviewProductInput) input: ReviewProductInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId, decision, comment } = await parseInput(reviewSchema, input, context);
      return { product: await productAsSeen(context, await context.services.certification.review(commandOf(context), productId, decision, comment)) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => ListProductsPayload, { description: "入录: the prefecture office enters CERTIFIED products in the catalog, all or none." })
  listProducts(@Arg("input", () => ListProductsInput) input: ListProductsInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productIds, batch } = await parseInput(listSchema, input, context);
      const listed = await context.services.certification.list(commandOf(context), productIds, batch);
      return { products: await productsAsSeen(context, listed) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => RevokeCertificationPayload, { description: "撤销认定, with a reason." })
  revokeCertification(@Arg("input", () => RevokeCertificationInput) input: RevokeCertificationInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId, reason } = await parseInput(revokeSchema, input, context);
      return { product: await productAsSeen(context, await context.services.certification.revoke(commandOf(context), productId, reason)) };
    });
  }

  @FieldResolver(() => [CertificationEvent], { description: "Every certification step, oldest first." })
  certificationHistory(@Root() product: ProductRow, @Ctx() { loaders }: RequestContext) {
    return loaders.certificationHistory.load(product.id);
  }
}

@Resolver(() => CertificationEvent)
export class CertificationEventResolver {
  @FieldResolver(() => User, { nullable: true })
  actor(@Root() event: CertificationEventRow, @Ctx() { loaders }: RequestContext) {
    return event.actorUserId ? loaders.userById.load(event.actorUserId) : null;
  }

  @FieldResolver(() => CertificationActor, { nullable: true })
  async performedBy(@Root() event: CertificationEventRow, @Ctx() { loaders, actor }: RequestContext): Promise<CertificationActor | null> {
    const person = event.actorUserId ? await loaders.certificationActorRow.load(event.actorUserId) : null;
    return person ? certificationActorAsSeenBy(actor, person) : null;
  }
}

@Resolver(() => CertificationActor)
export class CertificationActorResolver {
  @FieldResolver(() => Division, { nullable: true, description: "扶贫办: a reviewer's office (the county or the prefecture it reviews for)." })
  office(@Root() person: CertificationActor, @Ctx() { loaders }: RequestContext) {
    return person.officeCode ? loaders.divisionByCode.load(person.officeCode) : null;
  }
}
