-- An event skipped on arrival (a topic the app does not handle, a replay) is never worked, and its
-- body named customers that customers/redact could not find: the app keeps such events as their
-- row alone now, and the bodies an older version kept go.
DELETE FROM "WebhookPayload" WHERE "eventId" IN (SELECT "id" FROM "WebhookEvent" WHERE "state" = 'skipped' AND "processedAt" IS NULL);
