-- The alert responder's stale incidents and resolution summaries.
--
-- `stale`: still `firing` as far as the responder knows, but no notification has come for longer
-- than RESPONDER_STALE_AFTER. Alertmanager re-sends a firing alert every repeat_interval and sends
-- nothing when an alert resolves while silenced or inhibited, so such an incident is taken as no
-- longer firing: the pauses it holds are released. A later firing notification makes it `firing`
-- again; a resolved one makes it `resolved`.
ALTER TABLE incidents DROP CONSTRAINT incidents_status_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_status_check CHECK (status IN ('firing', 'resolved', 'stale'));

-- Whether the responder ever received the alert firing: only then is its resolution summarised.
-- Incidents recorded before this migration count as seen firing only if they still fire (the
-- resolved ones had their summary, or not, already).
ALTER TABLE incidents ADD COLUMN seen_firing boolean NOT NULL DEFAULT false;
UPDATE incidents SET seen_firing = true WHERE status = 'firing';

-- The periodic check looks for firing incidents not seen for a while.
CREATE INDEX incidents_firing_last_seen_idx ON incidents (last_seen) WHERE status = 'firing';
