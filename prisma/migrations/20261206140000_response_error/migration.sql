-- Response rule templates: when a rule's answer could not be rendered (a template error, or its
-- output or time limit hit), the endpoint's own answer was sent instead and this says why. Set
-- after the capture is written (a template can read the capture's seq), only on such a failure.

-- Zoom's endpoint.url_validation and X's CRC are answered with an HMAC keyed by one of the
-- endpoint's signing secrets; the token sent is kept so the capture detail can show the answer
-- (it cannot be rebuilt from the request and the settings alone, and the secret may change).

-- AlterTable
ALTER TABLE "captures" ADD COLUMN "response_error" TEXT, ADD COLUMN "handshake_token" TEXT;
