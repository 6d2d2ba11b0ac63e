import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { asSeenBy } from "../../actor.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { parseInput } from "../../graphql/inputs.js";
import { mutationPayload } from "../../graphql/payload.js";
import {
  RegisterEnterpriseInput,
  ReinstateEnterpriseInput,
  SuspendEnterpriseInput,
  VerifyEnterpriseInput,
  registrationSchema,
  reinstateEnterpriseSchema,
  suspendEnterpriseSchema,
  verifyEnterpriseSchema,
} from "./enterprise-registration.inputs.js";
import {
  RegisterEnterprisePayload,
  ReinstateEnterprisePayload,
  SuspendEnterprisePayload,
  VerifyEnterprisePayload,
} from "./enterprise-registration.types.js";
import { enterprisePolicy } from "./enterprise.policy.js";

// The status changes are made by offices and admins, who see every enterprise; the payloads still
// go through the policy (asSeenBy), so a change of the rule cannot leak a row through them.
@Resolver()
export class EnterpriseRegistrationResolver {
  @Mutation(() => RegisterEnterprisePayload, { description: "Public: registers an enterprise (PENDING until verified) and its first user." })
  registerEnterprise(@Arg("input", () => RegisterEnterpriseInput) input: RegisterEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => context.services.registration.register(commandOf(context), await parseInput(registrationSchema, input, context)));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => VerifyEnterprisePayload, {
    description: "核实: the county's (or prefecture's) office verifies a PENDING enterprise, confirming or correcting its kind.",
  })
  verifyEnterprise(@Arg("input", () => VerifyEnterpriseInput) input: VerifyEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { enterpriseId, kind } = await parseInput(verifyEnterpriseSchema, input, context);
      const enterprise = await context.services.registration.verify(commandOf(context), enterpriseId, kind);
      return { enterprise: await asSeenBy(enterprisePolicy, context.actor, enterprise) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => SuspendEnterprisePayload, { description: "暂停: the county's (or prefecture's) office suspends a VERIFIED enterprise, with a reason." })
  suspendEnterprise(@Arg("input", () => SuspendEnterpriseInput) input: SuspendEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { enterpriseId, reason } = await parseInput(suspendEnterpriseSchema, input, context);
      const enterprise = await context.services.registration.suspend(commandOf(context), enterpriseId, reason);
      return { enterprise: await asSeenBy(enterprisePolicy, context.actor, enterprise) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => ReinstateEnterprisePayload, { description: "恢复: the county's (or prefecture's) office reinstates a SUSPENDED enterprise (VERIFIED again)." })
  reinstateEnterprise(@Arg("input", () => ReinstateEnterpriseInput) input: ReinstateEnterpriseInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { enterpriseId } = await parseInput(reinstateEnterpriseSchema, input, context);
      const enterprise = await context.services.registration.reinstate(commandOf(context), enterpriseId);
      return { enterprise: await asSeenBy(enterprisePolicy, context.actor, enterprise) };
    });
  }
}
