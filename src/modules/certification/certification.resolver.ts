import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseInput } from "../../graphql/validation.js";
import { User } from "../accounts/index.js";
import type { ProductRow } from "../catalog/index.js";
import { Product } from "../catalog/index.js";
import type { CertificationEventRow } from "./certification.schema.js";
import {
  CertificationEvent,
  ListProductsInput,
  ListProductsPayload,
  ReviewProductInput,
  ReviewProductPayload,
  RevokeCertificationInput,
  RevokeCertificationPayload,
  SubmitProductForCertificationInput,
  SubmitProductForCertificationPayload,
} from "./certification.types.js";

const comment = z.string().trim().max(2000, "must be at most 2000 characters");
const listSchema = z.object({
  productIds: z.array(z.string()).min(1, "needs at least one product").max(100, "at most 100 products per batch"),
  batch: z.string().trim().min(1, "is required").max(50),
});

@Resolver(() => Product)
export class CertificationResolver {
  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => SubmitProductForCertificationPayload, { description: "申报: DRAFT, REJECTED or an expired listing → SUBMITTED." })
  submitProductForCertification(@Arg("input", () => SubmitProductForCertificationInput) input: SubmitProductForCertificationInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({
      product: await context.services.certification.submit(commandOf(context), inputId("Product", input.productId, "productId")),
    }));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => ReviewProductPayload, { description: "认定 (APPROVE → CERTIFIED) or 驳回 (REJECT → REJECTED) by the origin county's office." })
  reviewProduct(@Arg("input", () => ReviewProductInput) input: ReviewProductInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const text = parseInput(z.object({ comment: comment.optional() }), { comment: input.comment }).comment || null;
      const productId = inputId("Product", input.productId, "productId");
      return { product: await context.services.certification.review(commandOf(context), productId, input.decision, text) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => ListProductsPayload, { description: "入录: the prefecture office enters CERTIFIED products in the catalog, all or none." })
  listProducts(@Arg("input", () => ListProductsInput) input: ListProductsInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const parsed = parseInput(listSchema, input);
      const ids = parsed.productIds.map((id, i) => inputId("Product", id, `productIds.${i}`));
      return { products: await context.services.certification.list(commandOf(context), ids, parsed.batch) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => RevokeCertificationPayload, { description: "撤销认定, with a reason." })
  revokeCertification(@Arg("input", () => RevokeCertificationInput) input: RevokeCertificationInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { reason } = parseInput(z.object({ reason: comment.min(1, "is required") }), { reason: input.reason });
      const productId = inputId("Product", input.productId, "productId");
      return { product: await context.services.certification.revoke(commandOf(context), productId, reason) };
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
}
