// Any method on /api/<unknown path> - a JSON 404 in the API's error envelope, not the HTML page
import { AppError } from "@/lib/shared/errors/app-error";
import { handle } from "@/lib/server/http/respond";

const notFound = handle(async (req: Request) => {
  throw new AppError("NOT_FOUND", `There is no API route ${req.method} ${new URL(req.url).pathname}.`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
