import { Field, Float, Int, ObjectType } from "type-graphql";
import { Division } from "../geography/index.js";
import { DateScalar } from "../../graphql/scalars.js";
import { Product, ProductCategory } from "../catalog/index.js";

@ObjectType({ description: "One county's share of an indicator." })
export class CountyIndicator {
  @Field(() => Division)
  county!: unknown;

  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;

  @Field(() => Float, { description: "numerator ÷ denominator; 0 when the denominator is 0" })
  rate!: number;

  @Field(() => Boolean)
  met!: boolean;
}

@ObjectType({ description: "A target of the 2020 work plan, computed live (DOMAIN.md)." })
export class Indicator {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;

  @Field(() => Float, { description: "numerator ÷ denominator; 0 when the denominator is 0" })
  rate!: number;

  @Field(() => Float)
  target!: number;

  @Field(() => Boolean, { description: "rate ≥ target (compared exactly, in integers)" })
  met!: boolean;

  @Field(() => [CountyIndicator])
  byCounty!: CountyIndicator[];
}

@ObjectType({ description: "利益联结全覆盖: households able and willing to work, and poor villages." })
export class BenefitLinkCoverage {
  @Field(() => Indicator)
  households!: Indicator;

  @Field(() => Indicator)
  villages!: Indicator;
}

@ObjectType()
export class StatusCount {
  @Field(() => Division)
  county!: unknown;

  @Field(() => String, { description: "a ProductStatus, or EXPIRED for a listing past its validity" })
  status!: string;

  @Field(() => String, { description: "the status in Chinese (已申报, 已认定, 已入录, …; 已过期 for EXPIRED)" })
  label!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class CategoryCount {
  @Field(() => ProductCategory)
  category!: string;

  @Field(() => String, { description: "the category in Chinese (茶叶, 水果, …)" })
  label!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "A listing whose validity ends within 60 days of asOf (certificationPipeline.expiringListings)." })
export class ExpiringListing {
  @Field(() => Product, { nullable: true, description: "The product (name, catalogNo, enterprise); null when the caller may not see it." })
  product!: unknown;

  @Field(() => Division, { description: "The product's origin county." })
  county!: unknown;

  @Field(() => DateScalar, { description: "Last day of validity, as the listing stood on asOf." })
  validUntil!: string;
}

@ObjectType({ description: "认定进度: products per status per county, listed per category, expiring soon." })
export class CertificationPipeline {
  @Field(() => [StatusCount])
  byCountyAndStatus!: StatusCount[];

  @Field(() => [CategoryCount])
  listedByCategory!: CategoryCount[];

  @Field(() => Int, { description: "Listings whose validity ends within 60 days of asOf." })
  expiringWithin60Days!: number;

  @Field(() => [ExpiringListing], { description: "The soonest 100 of those listings (expiringWithin60Days counts them all), by last day of validity." })
  expiringListings!: ExpiringListing[];
}
