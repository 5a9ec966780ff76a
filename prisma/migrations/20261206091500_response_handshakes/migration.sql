-- Provider handshakes (Slack url_verification, Meta hub.challenge, Microsoft Graph validationToken,
-- Dropbox, Twitch, Asana, Okta) are answered unless an endpoint turns them off. Part of the
-- response settings, so each revision (and the captures it answered) keeps the value it had.
ALTER TABLE "endpoints" ADD COLUMN "response_handshakes" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "endpoint_responses" ADD COLUMN "handshakes" BOOLEAN NOT NULL DEFAULT true;
