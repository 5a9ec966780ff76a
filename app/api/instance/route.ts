// GET /api/instance - what this instance requires and allows (endpoint creation token, retention ceilings, expiry)
import { handle, json } from "@/lib/http/respond";
import { instanceInfo } from "@/lib/retention/settings";
import { ZInstanceInfo } from "@/lib/validation/endpoints";

export const GET = handle(async () => json(ZInstanceInfo.parse(instanceInfo())));
