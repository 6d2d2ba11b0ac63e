import { Field, ObjectType } from "type-graphql";
import { PayloadType } from "../../graphql/payload.js";
import { Product } from "./product.types.js";

export const CreateProductPayload = PayloadType("CreateProductPayload", { product: { type: () => Product } });

export const UpdateProductPayload = PayloadType("UpdateProductPayload", { product: { type: () => Product } });

export const UpdateProductSupplyPayload = PayloadType("UpdateProductSupplyPayload", { product: { type: () => Product } });

export const AdjustProductSupplyPayload = PayloadType("AdjustProductSupplyPayload", { product: { type: () => Product } });
