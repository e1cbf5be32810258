-- The alert responder's record: one row per alert Alertmanager reported (keyed by its fingerprint
-- and start), every action taken on it, the diagnostic snapshots it collected, and which queues it
-- paused. Only alert labels and annotations the rules set: no personal data.

CREATE TABLE incidents (
  id bigserial PRIMARY KEY,
  -- Alertmanager's fingerprint of the label set, and when this firing began: the same alert firing
  -- again later is a new incident
  fingerprint text NOT NULL,
  starts_at timestamptz NOT NULL,
  alertname text NOT NULL,
  severity text,
  service text,
  queue text,
  summary text,
  status text NOT NULL CHECK (status IN ('firing', 'resolved')),
  -- when the responder first and last received the alert
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  -- Alertmanager's endsAt of the resolved alert
  ends_at timestamptz,
  -- when the responder first acted on it: the escalation clock starts here
  acted_at timestamptz,
  -- rate limits: the last snapshot taken, the last summary posted
  last_snapshot_at timestamptz,
  last_notified_at timestamptz,
  -- still firing RESPONDER_ESCALATE_AFTER after the responder acted: a person must look
  needs_person boolean NOT NULL DEFAULT false,
  escalated_at timestamptz,
  UNIQUE (fingerprint, starts_at)
);

CREATE INDEX incidents_firing_idx ON incidents (acted_at) WHERE status = 'firing' AND NOT needs_person;
CREATE INDEX incidents_alertname_idx ON incidents (alertname, starts_at);

CREATE TABLE incident_actions (
  id bigserial PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('snapshot', 'pause', 'resume', 'notify', 'escalate')),
  -- what the action was about: a queue name for pause and resume, empty otherwise
  target text NOT NULL DEFAULT '',
  -- `ok`, `failed`, `skipped` (nothing to do, e.g. the queue was paused by a person) or `dry_run`
  outcome text NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped', 'dry_run')),
  at timestamptz NOT NULL,
  -- why, or what came of it: an error message, an HTTP status, the snapshot id
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX incident_actions_incident_idx ON incident_actions (incident_id, id);
-- pause and escalate happen at most once per incident (and queue); a resume is retried until it
-- succeeds, and is done once because it releases the incident's hold in queue_pauses
CREATE UNIQUE INDEX incident_actions_once_idx ON incident_actions (incident_id, action, target)
  WHERE action IN ('pause', 'escalate');

CREATE TABLE incident_snapshots (
  id bigserial PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  taken_at timestamptz NOT NULL,
  -- queue counts, oldest waiting jobs (id, age, attempts), workers, recent failure reasons
  content jsonb NOT NULL
);

CREATE INDEX incident_snapshots_incident_idx ON incident_snapshots (incident_id, taken_at);

-- Queues the responder paused, one row per incident holding the pause: the queue is resumed when
-- the last holder resolves, and never when a person paused it
CREATE TABLE queue_pauses (
  queue text NOT NULL,
  incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  paused_at timestamptz NOT NULL,
  PRIMARY KEY (queue, incident_id)
);
