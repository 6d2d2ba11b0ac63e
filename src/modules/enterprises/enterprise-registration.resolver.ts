import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { z } from "zod";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseInput } from "../../graphql/validation.js";
import { passwordSchema, usernameSchema } from "../accounts/index.js";
import {
  RegisterEnterpriseInput,
  RegisterEnterprisePayload,
  SuspendEnterpriseInput,
  SuspendEnterprisePayload,
  VerifyEnterpriseInput,
  VerifyEnterprisePayload,
} from "./enterprise-registration.types.js";
import type { EnterpriseRow } from "./enterprise.schema.js";

const registrationSchema = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(200),
  uscc: z.string().trim().toUpperCase(),
  kind: z.string(),
  countyCode: z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code"),
  username: usernameSchema,
  password: passwordSchema,
});

@Resolver()
export class EnterpriseRegistrationResolver {
  @Mutation(() => RegisterEnterprisePayload, { description: "Public: registers an enterprise (PENDING until verified) and its first user." })
  registerEnterprise(@Arg("input", () => RegisterEnterpriseInput) input: RegisterEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const parsed = parseInput(registrationSchema, input);
      return context.services.registration.register(commandOf(context), { ...parsed, kind: parsed.kind as EnterpriseRow["kind"] });
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => VerifyEnterprisePayload, { description: "核实: the county's (or prefecture's) office verifies a PENDING or SUSPENDED enterprise." })
  verifyEnterprise(@Arg("input", () => VerifyEnterpriseInput) input: VerifyEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({
      enterprise: await context.services.registration.verify(commandOf(context), inputId("Enterprise", input.enterpriseId, "enterpriseId")),
    }));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => SuspendEnterprisePayload, { description: "暂停: the county's (or prefecture's) office suspends an enterprise, with a reason." })
  suspendEnterprise(@Arg("input", () => SuspendEnterpriseInput) input: SuspendEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { reason } = parseInput(z.object({ reason: z.string().trim().min(1, "is required").max(2000) }), { reason: input.reason });
      const id = inputId("Enterprise", input.enterpriseId, "enterpriseId");
      return { enterprise: await context.services.registration.suspend(commandOf(context), id, reason) };
    });
  }
}
