import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import { idCheckedByService } from "../../graphql/inputs.js";

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { description: "Your own notifications' IDs (at most 100); marking one again changes nothing." })
  ids!: string[];
}

// The service tells the caller's own notifications from others' (NOT_FOUND, nothing marked).
export const markNotificationsReadSchema = z.object({
  ids: z.array(idCheckedByService("Notification")).max(100, "at most 100 IDs at once"),
});
