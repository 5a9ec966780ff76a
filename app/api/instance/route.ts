// GET /api/instance - what this instance requires and allows (endpoint creation token, retention ceilings, expiry)
import { handle, json } from "@/lib/server/http/respond";
import { instanceInfo } from "@/lib/server/retention/settings";
import { ZInstanceInfo } from "@/lib/shared/validation/endpoints";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

export const GET = handle(async () => json(ZInstanceInfo.parse(instanceInfo())));

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
