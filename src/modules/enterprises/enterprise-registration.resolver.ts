import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { parseInput } from "../../graphql/inputs.js";
import { mutationPayload } from "../../graphql/payload.js";
import {
  RegisterEnterpriseInput,
  SuspendEnterpriseInput,
  VerifyEnterpriseInput,
  registrationSchema,
  suspendEnterpriseSchema,
  verifyEnterpriseSchema,
} from "./enterprise-registration.inputs.js";
import { RegisterEnterprisePayload, SuspendEnterprisePayload, VerifyEnterprisePayload } from "./enterprise-registration.types.js";

// Enterprises are visible to everyone (enterprise.policy.ts): the payloads need no policy check.
@Resolver()
export class EnterpriseRegistrationResolver {
  @Mutation(() => RegisterEnterprisePayload, { description: "Public: registers an enterprise (PENDING until verified) and its first user." })
  registerEnterprise(@Arg("input", () => RegisterEnterpriseInput) input: RegisterEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => context.services.registration.register(commandOf(context), await parseInput(registrationSchema, input, context)));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => VerifyEnterprisePayload, { description: "核实: the county's (or prefecture's) office verifies a PENDING or SUSPENDED enterprise." })
  verifyEnterprise(@Arg("input", () => VerifyEnterpriseInput) input: VerifyEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { enterpriseId } = await parseInput(verifyEnterpriseSchema, input, context);
      return { enterprise: await context.services.registration.verify(commandOf(context), enterpriseId) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => SuspendEnterprisePayload, { description: "暂停: the county's (or prefecture's) office suspends an enterprise, with a reason." })
  suspendEnterprise(@Arg("input", () => SuspendEnterpriseInput) input: SuspendEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { enterpriseId, reason } = await parseInput(suspendEnterpriseSchema, input, context);
      return { enterprise: await context.services.registration.suspend(commandOf(context), enterpriseId, reason) };
    });
  }
}
