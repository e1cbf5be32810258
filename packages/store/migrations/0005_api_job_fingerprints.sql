-- The request behind an idempotent submission, so that a key reused for a different request is
-- refused for as long as the job's index row lives, not only while Redis remembers the key.
-- A hex SHA-256 of the kind, query, media type and body: no personal data.
ALTER TABLE api_jobs ADD COLUMN request_fingerprint text;
