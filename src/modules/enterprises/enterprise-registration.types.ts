import { Field, ObjectType } from "type-graphql";
import { PayloadType } from "../../graphql/payload.js";
import { User } from "../accounts/index.js";
import { Enterprise } from "./enterprise.types.js";

export const RegisterEnterprisePayload = PayloadType("RegisterEnterprisePayload", { enterprise: { type: () => Enterprise }, user: { type: () => User } });

export const VerifyEnterprisePayload = PayloadType("VerifyEnterprisePayload", { enterprise: { type: () => Enterprise } });

export const SuspendEnterprisePayload = PayloadType("SuspendEnterprisePayload", { enterprise: { type: () => Enterprise } });

export const ReinstateEnterprisePayload = PayloadType("ReinstateEnterprisePayload", { enterprise: { type: () => Enterprise } });
