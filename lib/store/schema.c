/* The schema and its step-by-step migrations.  Migration N brings a
 * database from user_version N to N+1, in its own transaction.  Steps are
 * only ever appended. */
#include "store_internal.h"
#include "schema_tenant.h"
#include <stdio.h>

static const char *const migrations[] = {
  /* 0 -> 1: the organisation mirrored from HR. */
  "CREATE TABLE units("
  "  id INTEGER PRIMARY KEY,"
  "  parent_id INTEGER REFERENCES units(id),"
  "  kind INTEGER NOT NULL CHECK(kind BETWEEN 1 AND 4),"
  "  external_id TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  industry TEXT NOT NULL DEFAULT '',"
  "  high_risk INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  closed_at INTEGER NOT NULL DEFAULT 0,"
  "  path TEXT NOT NULL);"               /* '/root/../self/' ids, for subtree ranges */
  "CREATE INDEX units_parent ON units(parent_id);"
  "CREATE INDEX units_path ON units(path);"
  "CREATE TABLE employees("
  "  id INTEGER PRIMARY KEY,"
  "  external_id TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  post TEXT NOT NULL DEFAULT '',"
  "  unit_id INTEGER NOT NULL REFERENCES units(id),"
  "  roles INTEGER NOT NULL,"
  "  active INTEGER NOT NULL,"
  "  hire_date INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  unit_since INTEGER NOT NULL,"
  "  left_at INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX employees_unit ON employees(unit_id);"
  "CREATE TABLE employee_events("
  "  id INTEGER PRIMARY KEY,"
  "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
  "  kind INTEGER NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  from_unit INTEGER NOT NULL DEFAULT 0,"
  "  to_unit INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX employee_events_employee ON employee_events(employee_id);"
  "CREATE TRIGGER employee_events_append_only_u BEFORE UPDATE ON employee_events"
  "  BEGIN SELECT RAISE(ABORT, 'employee history is append-only'); END;"
  "CREATE TRIGGER employee_events_append_only_d BEFORE DELETE ON employee_events"
  "  BEGIN SELECT RAISE(ABORT, 'employee history is append-only'); END;",
  /* 1 -> 2: the hazard ledger and its append-only history. */
  "CREATE TABLE hazards("
  "  id INTEGER PRIMARY KEY,"
  "  state INTEGER NOT NULL,"
  "  reporter_id INTEGER REFERENCES employees(id),"  /* NULL = anonymous */
  "  followup_key TEXT UNIQUE,"
  "  unit_id INTEGER NOT NULL REFERENCES units(id),"
  "  enterprise_id INTEGER NOT NULL REFERENCES units(id),"
  "  title TEXT NOT NULL, description TEXT NOT NULL, location TEXT NOT NULL,"
  "  kind INTEGER NOT NULL, category INTEGER NOT NULL, check_item INTEGER NOT NULL,"
  "  source INTEGER NOT NULL, observed_at INTEGER NOT NULL, reported_at INTEGER NOT NULL,"
  "  proposed_severity INTEGER NOT NULL,"
  "  severity INTEGER NOT NULL DEFAULT 0, level INTEGER NOT NULL DEFAULT 0,"
  "  resolved_level INTEGER NOT NULL DEFAULT 0,"
  "  responsible_id INTEGER REFERENCES employees(id),"
  "  measures TEXT NOT NULL DEFAULT '', funds_fen INTEGER NOT NULL DEFAULT 0,"
  "  original_deadline INTEGER NOT NULL DEFAULT 0, deadline INTEGER NOT NULL DEFAULT 0,"
  "  contingency_plan TEXT NOT NULL DEFAULT '',"
  "  has_plan INTEGER NOT NULL DEFAULT 0, plan_goals TEXT NOT NULL DEFAULT '',"
  "  plan_methods TEXT NOT NULL DEFAULT '', plan_funds_materials TEXT NOT NULL DEFAULT '',"
  "  plan_responsible_bodies TEXT NOT NULL DEFAULT '', plan_time_limit INTEGER NOT NULL DEFAULT 0,"
  "  plan_safety_measures TEXT NOT NULL DEFAULT '',"
  "  reject_reason TEXT NOT NULL DEFAULT '', duplicate_of INTEGER NOT NULL DEFAULT 0,"
  "  listed INTEGER NOT NULL DEFAULT 0, listing_authority TEXT NOT NULL DEFAULT '',"
  "  listing_document TEXT NOT NULL DEFAULT '', listed_at INTEGER NOT NULL DEFAULT 0,"
  "  listed_by INTEGER NOT NULL DEFAULT 0,"
  "  extension_pending INTEGER NOT NULL DEFAULT 0,"
  "  extension_deadline INTEGER NOT NULL DEFAULT 0,"
  "  reopen_count INTEGER NOT NULL DEFAULT 0, submitted_by INTEGER NOT NULL DEFAULT 0,"
  "  last_note TEXT NOT NULL DEFAULT '',"
  "  closed_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);"
  "CREATE INDEX hazards_unit ON hazards(unit_id);"
  "CREATE INDEX hazards_reporter ON hazards(reporter_id) WHERE reporter_id IS NOT NULL;"
  "CREATE INDEX hazards_responsible ON hazards(responsible_id) WHERE responsible_id IS NOT NULL;"
  "CREATE INDEX hazards_open_deadline ON hazards(deadline) WHERE state IN (2, 3, 4);"
  "CREATE TABLE hazard_events("
  "  id INTEGER PRIMARY KEY,"
  "  hazard_id INTEGER NOT NULL REFERENCES hazards(id),"
  "  at INTEGER NOT NULL, actor_id INTEGER NOT NULL,"
  "  action INTEGER NOT NULL, from_state INTEGER NOT NULL, to_state INTEGER NOT NULL,"
  "  level INTEGER NOT NULL, data TEXT NOT NULL);"
  "CREATE INDEX hazard_events_hazard ON hazard_events(hazard_id);"
  "CREATE TRIGGER hazard_events_append_only_u BEFORE UPDATE ON hazard_events"
  "  BEGIN SELECT RAISE(ABORT, 'hazard history is append-only'); END;"
  "CREATE TRIGGER hazard_events_append_only_d BEFORE DELETE ON hazard_events"
  "  BEGIN SELECT RAISE(ABORT, 'hazard history is append-only'); END;"
  "CREATE TABLE hazard_attachments("
  "  id INTEGER PRIMARY KEY,"
  "  hazard_id INTEGER NOT NULL REFERENCES hazards(id),"
  "  event_id INTEGER NOT NULL REFERENCES hazard_events(id),"
  "  uri TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL, stage INTEGER NOT NULL, added_at INTEGER NOT NULL,"
  "  added_by INTEGER NOT NULL);"
  "CREATE INDEX hazard_attachments_hazard ON hazard_attachments(hazard_id);",
  /* 2 -> 3: the open-deadline index tests a range, not an IN list: SQLite
   * builds an ephemeral table for every IN-list evaluation, and a partial
   * index's condition is evaluated on every write of a hazard row. */
  "DROP INDEX hazards_open_deadline;"
  "CREATE INDEX hazards_open_deadline ON hazards(deadline) WHERE state BETWEEN 2 AND 4;",
  /* 3 -> 4: the campaign's activities (include/cbc/activity.h).  Attendance
   * and drill participation repeat the session's time and kind, so the
   * per-employee and per-team questions are one index range each. */
  "CREATE TABLE trainings("
  "  id INTEGER PRIMARY KEY,"
  "  kind INTEGER NOT NULL, unit_id INTEGER NOT NULL REFERENCES units(id),"
  "  held_at INTEGER NOT NULL, minutes INTEGER NOT NULL, title TEXT NOT NULL,"
  "  recorded_at INTEGER NOT NULL);"
  "CREATE INDEX trainings_unit ON trainings(unit_id, held_at);"
  "CREATE TABLE training_attendees("
  "  training_id INTEGER NOT NULL REFERENCES trainings(id),"
  "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
  "  passed INTEGER NOT NULL, kind INTEGER NOT NULL, held_at INTEGER NOT NULL,"
  "  PRIMARY KEY(training_id, employee_id)) WITHOUT ROWID;"
  "CREATE INDEX training_attendees_employee ON training_attendees(employee_id, held_at);"
  "CREATE TABLE drills("
  "  id INTEGER PRIMARY KEY,"
  "  unit_id INTEGER NOT NULL REFERENCES units(id), enterprise_id INTEGER NOT NULL,"
  "  held_at INTEGER NOT NULL, scenario TEXT NOT NULL, recorded_at INTEGER NOT NULL);"
  "CREATE INDEX drills_enterprise ON drills(enterprise_id, held_at);"
  "CREATE TABLE drill_teams("
  "  drill_id INTEGER NOT NULL REFERENCES drills(id),"
  "  team_id INTEGER NOT NULL REFERENCES units(id), held_at INTEGER NOT NULL,"
  "  PRIMARY KEY(drill_id, team_id)) WITHOUT ROWID;"
  "CREATE INDEX drill_teams_team ON drill_teams(team_id, held_at);"
  "CREATE TABLE cadre_assignments("
  "  id INTEGER PRIMARY KEY,"
  "  cadre_id INTEGER NOT NULL REFERENCES employees(id),"
  "  unit_id INTEGER NOT NULL REFERENCES units(id),"
  "  from_at INTEGER NOT NULL, to_at INTEGER NOT NULL DEFAULT 0,"  /* 0 = open-ended */
  "  recorded_at INTEGER NOT NULL);"
  "CREATE INDEX cadre_assignments_cadre ON cadre_assignments(cadre_id, unit_id);"
  "CREATE INDEX cadre_assignments_unit ON cadre_assignments(unit_id);"
  "CREATE TABLE visits("
  "  id INTEGER PRIMARY KEY,"
  "  cadre_id INTEGER NOT NULL REFERENCES employees(id),"
  "  unit_id INTEGER NOT NULL REFERENCES units(id),"
  "  visited_at INTEGER NOT NULL, findings TEXT NOT NULL, recorded_at INTEGER NOT NULL);"
  "CREATE INDEX visits_unit ON visits(unit_id, visited_at);"
  "CREATE INDEX visits_cadre ON visits(cadre_id, visited_at);"
  "CREATE TABLE proposals("
  "  id INTEGER PRIMARY KEY,"
  "  proposer_id INTEGER NOT NULL REFERENCES employees(id),"
  "  unit_id INTEGER NOT NULL REFERENCES units(id),"
  "  title TEXT NOT NULL, text TEXT NOT NULL, submitted_at INTEGER NOT NULL,"
  "  status INTEGER NOT NULL, decided_by INTEGER NOT NULL DEFAULT 0,"
  "  decided_at INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX proposals_unit ON proposals(unit_id, submitted_at);"
  "CREATE INDEX proposals_proposer ON proposals(proposer_id, submitted_at);"
  "DROP INDEX hazards_reporter;" /* replaced: the same prefix, with the time */
  "CREATE INDEX hazards_reporter_time ON hazards(reporter_id, reported_at)"
  "  WHERE reporter_id IS NOT NULL;",
  /* 4 -> 5: statistics.  stat_months holds, per attribution unit (an
   * enterprise, or a region node for what happens above enterprises) and
   * local month (year * 100 + month), the form's counters as records are
   * written; distinct-employee counts have a column per granularity, set in
   * the month of the employee's first participation in that month, quarter
   * or year, so quarters and years are sums of months.  participation keeps
   * per employee and year the months (bits) they took part, were trained,
   * or trained as leaders.  settings records the UTC offset the aggregates
   * were built with (none: not built yet). */
  "CREATE TABLE stat_months("
  "  unit_id INTEGER NOT NULL, month INTEGER NOT NULL,"
  "  activity INTEGER NOT NULL DEFAULT 0,"
  "  took_part_m INTEGER NOT NULL DEFAULT 0, took_part_q INTEGER NOT NULL DEFAULT 0,"
  "  took_part_y INTEGER NOT NULL DEFAULT 0, sessions INTEGER NOT NULL DEFAULT 0,"
  "  trained_m INTEGER NOT NULL DEFAULT 0, trained_q INTEGER NOT NULL DEFAULT 0,"
  "  trained_y INTEGER NOT NULL DEFAULT 0, leader_classes INTEGER NOT NULL DEFAULT 0,"
  "  leaders_m INTEGER NOT NULL DEFAULT 0, leaders_q INTEGER NOT NULL DEFAULT 0,"
  "  leaders_y INTEGER NOT NULL DEFAULT 0, visits INTEGER NOT NULL DEFAULT 0,"
  "  found INTEGER NOT NULL DEFAULT 0, listed INTEGER NOT NULL DEFAULT 0,"
  "  rectified INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY(month, unit_id)) WITHOUT ROWID;"
  "CREATE TABLE participation("
  "  employee_id INTEGER NOT NULL, year INTEGER NOT NULL,"
  "  took_part INTEGER NOT NULL DEFAULT 0, trained INTEGER NOT NULL DEFAULT 0,"
  "  leaders INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY(employee_id, year)) WITHOUT ROWID;"
  "CREATE TABLE settings(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX hazards_closed ON hazards(closed_at) WHERE state = 5;"
  "CREATE INDEX hazards_reported ON hazards(reported_at);"
  "CREATE INDEX hazard_events_listing ON hazard_events(at) WHERE action = 6;",
  /* 5 -> 6: rewards.  policies keeps every version of the policy document
   * (complete, canonical JSON; none stored means version 1 = the built-in
   * defaults).  awards is the ledger: one row per (rule, subject, cause),
   * and at most one discovery award per hazard.  fines are internal fines,
   * each for a hazard or a described violation. */
  "CREATE TABLE policies("
  "  version INTEGER PRIMARY KEY, document TEXT NOT NULL,"
  "  set_by INTEGER NOT NULL, set_at INTEGER NOT NULL);"
  "CREATE TABLE awards("
  "  id INTEGER PRIMARY KEY,"
  "  rule INTEGER NOT NULL, subject_kind INTEGER NOT NULL, subject_id INTEGER NOT NULL,"
  "  cause TEXT NOT NULL, hazard_id INTEGER NOT NULL DEFAULT 0,"
  "  proposal_id INTEGER NOT NULL DEFAULT 0, unit_id INTEGER NOT NULL,"
  "  policy_version INTEGER NOT NULL, amount_fen INTEGER NOT NULL CHECK(amount_fen >= 0),"
  "  reasons TEXT NOT NULL, state INTEGER NOT NULL CHECK(state BETWEEN 1 AND 4),"
  "  proposed_at INTEGER NOT NULL,"
  "  approved_by INTEGER NOT NULL DEFAULT 0, approved_at INTEGER NOT NULL DEFAULT 0,"
  "  paid_by INTEGER NOT NULL DEFAULT 0, paid_at INTEGER NOT NULL DEFAULT 0,"
  "  payment_ref TEXT NOT NULL DEFAULT '',"
  "  declined_by INTEGER NOT NULL DEFAULT 0, declined_at INTEGER NOT NULL DEFAULT 0,"
  "  decline_reason TEXT NOT NULL DEFAULT '',"
  "  review INTEGER NOT NULL DEFAULT 0, flagged_at INTEGER NOT NULL DEFAULT 0,"
  "  reviewed_by INTEGER NOT NULL DEFAULT 0, reviewed_at INTEGER NOT NULL DEFAULT 0,"
  "  review_note TEXT NOT NULL DEFAULT '',"
  "  UNIQUE(rule, subject_kind, subject_id, cause));"
  "CREATE UNIQUE INDEX awards_hazard ON awards(hazard_id) WHERE hazard_id != 0;"
  "CREATE INDEX awards_proposed ON awards(proposed_at);"
  "CREATE TABLE fines("
  "  id INTEGER PRIMARY KEY,"
  "  employee_id INTEGER NOT NULL REFERENCES employees(id),"
  "  unit_id INTEGER NOT NULL REFERENCES units(id),"
  "  amount_fen INTEGER NOT NULL CHECK(amount_fen > 0), reason TEXT NOT NULL,"
  "  hazard_id INTEGER NOT NULL DEFAULT 0, violation TEXT NOT NULL DEFAULT '',"
  "  issued_by INTEGER NOT NULL, issued_at INTEGER NOT NULL);"
  "CREATE INDEX fines_issued ON fines(issued_at);"
  "CREATE INDEX hazards_duplicate ON hazards(duplicate_of) WHERE duplicate_of != 0;",
  /* 6 -> 7: follow-up keys are kept only as hashes (docs/security.md).
   * cbc_followup_hash() is registered on the connection (store/hazard_store.c);
   * secure_delete zeroes the freed bytes of the plain keys, in the rows and
   * in the old UNIQUE index, so no copy stays in the file.  followup_key
   * stays, always NULL (a UNIQUE column cannot be dropped).  followup_misses
   * counts wrong keys per time window, for the limit on guesses; requests
   * records the writes made with a request key (lib/request.c), by the
   * hash of the key. */
  "PRAGMA secure_delete=ON;"
  "ALTER TABLE hazards ADD COLUMN followup_hash BLOB;"
  "UPDATE hazards SET followup_hash = cbc_followup_hash(followup_key), followup_key = NULL"
  "  WHERE followup_key IS NOT NULL;"
  "CREATE UNIQUE INDEX hazards_followup ON hazards(followup_hash)"
  "  WHERE followup_hash IS NOT NULL;"
  "CREATE TABLE followup_misses("
  "  period INTEGER PRIMARY KEY, misses INTEGER NOT NULL);"
  "CREATE TABLE requests("
  "  kind INTEGER NOT NULL, key_hash BLOB NOT NULL, digest BLOB NOT NULL,"
  "  result_id INTEGER NOT NULL, result TEXT, at INTEGER NOT NULL,"
  "  PRIMARY KEY(kind, key_hash)) WITHOUT ROWID;",
  /* 7 -> 8: participation over time (docs/statistics.md).  Marks are kept
   * per attribution unit, so each enterprise counts those who took part
   * there; the aggregates are rebuilt at the next read-write open.  Team
   * membership at a time is read from the history: the last change of an
   * employee at or before it (employee_at replaces employee_events_employee,
   * its prefix), who ever joined or left a team (to/from), and whether a
   * drill lies after an org change (drills_held). */
  "DROP TABLE participation;"
  "CREATE TABLE participation("
  "  employee_id INTEGER NOT NULL, year INTEGER NOT NULL, unit_id INTEGER NOT NULL,"
  "  took_part INTEGER NOT NULL DEFAULT 0, trained INTEGER NOT NULL DEFAULT 0,"
  "  leaders INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY(employee_id, year, unit_id)) WITHOUT ROWID;"
  "DELETE FROM settings WHERE key = 'stats_utc_offset';"
  "DROP INDEX employee_events_employee;"
  "CREATE INDEX employee_events_at ON employee_events(employee_id, at);"
  "CREATE INDEX employee_events_to ON employee_events(to_unit);"
  "CREATE INDEX employee_events_from ON employee_events(from_unit);"
  "CREATE INDEX drills_held ON drills(held_at);",
  /* 8 -> 9: activity records can be voided (include/cbc/activity.h,
   * docs/activities.md): kept, marked with when, by whom and why.  A voided
   * session's attendance and a voided drill's teams move to their own
   * tables, so every question over attendance and drill participation
   * (took part, compliance, statistics, rewards) reads live records only,
   * with no condition added to its index ranges.  Listings by subtree read
   * each unit's records by (unit, time) (drills lacked that index); the
   * time indexes serve listings of every unit (drills_held exists). */
  "ALTER TABLE trainings ADD COLUMN voided_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE trainings ADD COLUMN voided_by INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE trainings ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drills ADD COLUMN voided_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE drills ADD COLUMN voided_by INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE drills ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE visits ADD COLUMN voided_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE visits ADD COLUMN voided_by INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE visits ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE proposals ADD COLUMN voided_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE proposals ADD COLUMN voided_by INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE proposals ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE cadre_assignments ADD COLUMN voided_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE cadre_assignments ADD COLUMN voided_by INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE cadre_assignments ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';"
  "CREATE TABLE voided_training_attendees("
  "  training_id INTEGER NOT NULL REFERENCES trainings(id),"
  "  employee_id INTEGER NOT NULL, passed INTEGER NOT NULL, kind INTEGER NOT NULL,"
  "  held_at INTEGER NOT NULL, PRIMARY KEY(training_id, employee_id)) WITHOUT ROWID;"
  "CREATE TABLE voided_drill_teams("
  "  drill_id INTEGER NOT NULL REFERENCES drills(id),"
  "  team_id INTEGER NOT NULL, held_at INTEGER NOT NULL,"
  "  PRIMARY KEY(drill_id, team_id)) WITHOUT ROWID;"
  "CREATE INDEX drills_unit ON drills(unit_id, held_at);"
  "CREATE INDEX trainings_held ON trainings(held_at);"
  "CREATE INDEX visits_held ON visits(visited_at);"
  "CREATE INDEX proposals_submitted ON proposals(submitted_at);",
  /* 9 -> 10: the ledger's text search and its listed filter (docs/ledger.md).
   * hazards_fts indexes titles and descriptions by trigrams (Chinese has no
   * spaces to split words at), reading the text from hazards itself
   * (external content); the triggers keep it in step in the writing
   * transaction, and a move's UPDATE, which never sets title or
   * description, does not fire them.  Listed and major hazards are few: a
   * partial index each, in id order, finds them without reading the ledger
   * (and costs a write only for them).  IF NOT EXISTS
   * and 'rebuild' make the step safe to run over a file that already has
   * any of it. */
  "CREATE VIRTUAL TABLE IF NOT EXISTS hazards_fts USING fts5(title, description,"
  "  content='hazards', content_rowid='id', tokenize='trigram');"
  "INSERT INTO hazards_fts(hazards_fts) VALUES('rebuild');"
  "CREATE TRIGGER IF NOT EXISTS hazards_fts_insert AFTER INSERT ON hazards BEGIN"
  "  INSERT INTO hazards_fts(rowid, title, description)"
  "  VALUES (new.id, new.title, new.description); END;"
  "CREATE TRIGGER IF NOT EXISTS hazards_fts_update AFTER UPDATE OF title, description"
  "  ON hazards BEGIN"
  "  INSERT INTO hazards_fts(hazards_fts, rowid, title, description)"
  "  VALUES ('delete', old.id, old.title, old.description);"
  "  INSERT INTO hazards_fts(rowid, title, description)"
  "  VALUES (new.id, new.title, new.description); END;"
  "CREATE TRIGGER IF NOT EXISTS hazards_fts_delete AFTER DELETE ON hazards BEGIN"
  "  INSERT INTO hazards_fts(hazards_fts, rowid, title, description)"
  "  VALUES ('delete', old.id, old.title, old.description); END;"
  "CREATE INDEX IF NOT EXISTS hazards_listed ON hazards(id) WHERE listed = 1;"
  "CREATE INDEX IF NOT EXISTS hazards_major ON hazards(id) WHERE severity = 2;",
  /* 10 -> 11: the ledger's first page at full size (docs/ledger.md).  The
   * listed and major indexes carry each hazard's unit, so that a subtree is
   * checked from the index without reading the hazard.  The setting
   * hazard_ids_in_report_order is 1 while no hazard has an earlier report
   * time than one with a smaller id (the usual case: ids are handed out as
   * reports arrive, by a clock that does not go back); then a period's
   * hazards are one range of ids, which the ledger walks in id order.  The
   * triggers clear it for good when a report arrives out of order or a
   * report time is changed.  IF EXISTS and IF NOT EXISTS make the step safe
   * to run over a file that already has any of it. */
  "DROP INDEX IF EXISTS hazards_listed;"
  "DROP INDEX IF EXISTS hazards_major;"
  "CREATE INDEX hazards_listed ON hazards(id, unit_id) WHERE listed = 1;"
  "CREATE INDEX hazards_major ON hazards(id, unit_id) WHERE severity = 2;"
  "INSERT OR REPLACE INTO settings(key, value)"
  "  SELECT 'hazard_ids_in_report_order', NOT EXISTS (SELECT 1 FROM"
  "  (SELECT reported_at < lag(reported_at) OVER (ORDER BY id) AS back FROM hazards)"
  "  WHERE back);"
  "CREATE TRIGGER IF NOT EXISTS hazards_report_order AFTER INSERT ON hazards"
  "  WHEN new.reported_at < (SELECT reported_at FROM hazards WHERE id < new.id"
  "                          ORDER BY id DESC LIMIT 1)"
  "    OR new.reported_at > (SELECT reported_at FROM hazards WHERE id > new.id"
  "                          ORDER BY id LIMIT 1) BEGIN"
  "  UPDATE settings SET value = 0 WHERE key = 'hazard_ids_in_report_order'; END;"
  "CREATE TRIGGER IF NOT EXISTS hazards_report_time AFTER UPDATE OF reported_at ON hazards"
  "  WHEN new.reported_at IS NOT old.reported_at BEGIN"
  "  UPDATE settings SET value = 0 WHERE key = 'hazard_ids_in_report_order'; END;",
  /* 11 -> 12: standalone sign-in (include/cbc/account.h).  One row per
   * employee with a password: only its argon2id hash in libsodium's string
   * form, the failed sign-ins in a row and the end of the current lock,
   * which every process of the file shares.  IF NOT EXISTS makes the step
   * safe to run over a file that already has it, as the steps before. */
  "CREATE TABLE IF NOT EXISTS accounts("
  "  employee_id INTEGER PRIMARY KEY REFERENCES employees(id),"
  "  hash TEXT NOT NULL,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  locked_until INTEGER NOT NULL DEFAULT 0,"
  "  changed_at INTEGER NOT NULL);",
  /* 12 -> 13: the overdue sweep in batches (lib/hazard_sweep.c).  One row
   * per hazard the sweep escalated for being overdue: the time it judged
   * by, written in the batch that escalates it; the sweep escalates the
   * hazard again only for a deadline later than that (a new lapse), so
   * that a rerun after a sweep stopped half-way, the next day's sweep, or
   * a deadline corrected to another past date does not escalate it twice
   * for one lapse.  Each hazard still open (REGISTERED to
   * PENDING_VERIFICATION: it can come back to a state the sweep moves)
   * that an earlier libcbc escalated for being overdue (action 13) is
   * marked, whatever moved it since, with the time its latest such
   * escalation judged by, as far as the history tells: the event's time,
   * and, when no later event set the deadline (an approved extension,
   * action 8 with approve 1; an amended deadline, action 15 with one), at
   * least the current deadline + 1 — that sweep escalated only deadlines
   * before the time it judged by, which may have been ahead of its clock.
   * The same rule then re-arms the hazard only for a deadline later than
   * that.  The events are still JSON text at this step (packed at 13 ->
   * 14; a packed one counts as no deadline change).  IF NOT EXISTS and OR
   * IGNORE make the step safe to run over a file that already has it, as
   * the steps before. */
  "CREATE TABLE IF NOT EXISTS overdue_escalations("
  "  hazard_id INTEGER PRIMARY KEY REFERENCES hazards(id),"
  "  escalated_at INTEGER NOT NULL);"
  "INSERT OR IGNORE INTO overdue_escalations(hazard_id, escalated_at)"
  "  SELECT hid, CASE WHEN EXISTS (SELECT 1 FROM hazard_events d"
  "      WHERE d.hazard_id = hid AND d.id > last_id AND CASE WHEN typeof(d.data) = 'text'"
  "        THEN (d.action = 8 AND json_extract(d.data, '$.approve') = 1)"
  "          OR (d.action = 15 AND json_extract(d.data, '$.deadline') IS NOT NULL) END)"
  "    THEN last_at ELSE max(last_at, hdeadline + 1) END"
  "  FROM (SELECT hid, hdeadline, last_id, (SELECT at FROM hazard_events"
  "      WHERE id = last_id) AS last_at"
  "    FROM (SELECT h.id AS hid, h.deadline AS hdeadline, (SELECT max(e.id)"
  "        FROM hazard_events e WHERE e.hazard_id = h.id AND e.action = 13) AS last_id"
  "      FROM hazards h WHERE h.state BETWEEN 2 AND 4)"
  "    WHERE last_id IS NOT NULL);",
  /* 13 -> 14: events stored packed (lib/event_codec.h, docs/storage.md).
   * Each event's JSON is replaced by its packed form where that gives the
   * same JSON back byte for byte (cbc_event_pack, store/hazard_store.c);
   * any other stays as it is, and is read as before.  A report's own
   * fields are kept once, in the hazard row, which its packed report
   * refers to: hazards_report_fixed refuses to change them.  Only this
   * step updates the history (the append-only trigger is put back in the
   * same transaction).  The freed pages are reused by later writes; the
   * file shrinks after a VACUUM.  Run again over a file that has it, the
   * step changes nothing. */
  "DROP TRIGGER IF EXISTS hazard_events_append_only_u;"
  "UPDATE hazard_events SET data = cbc_event_pack(data, hazard_events.id, action, at,"
  "  actor_id, coalesce(h.reporter_id, 0), h.unit_id, h.enterprise_id, h.observed_at,"
  "  h.title, h.description, h.location, h.source, h.proposed_severity)"
  "  FROM hazards h WHERE h.id = hazard_events.hazard_id AND typeof(data) = 'text';"
  "CREATE TRIGGER hazard_events_append_only_u BEFORE UPDATE ON hazard_events"
  "  BEGIN SELECT RAISE(ABORT, 'hazard history is append-only'); END;"
  "CREATE TRIGGER IF NOT EXISTS hazards_report_fixed BEFORE UPDATE OF reporter_id, unit_id,"
  "  enterprise_id, observed_at, title, description, location, source, proposed_severity"
  "  ON hazards WHEN new.reporter_id IS NOT old.reporter_id"
  "    OR new.unit_id IS NOT old.unit_id OR new.enterprise_id IS NOT old.enterprise_id"
  "    OR new.observed_at IS NOT old.observed_at OR new.title IS NOT old.title"
  "    OR new.description IS NOT old.description OR new.location IS NOT old.location"
  "    OR new.source IS NOT old.source OR new.proposed_severity IS NOT old.proposed_severity"
  "  BEGIN SELECT RAISE(ABORT, 'a hazard''s report is fixed: its history refers to it'); END;",
  /* 14 -> 15: a smaller text index (docs/storage.md, docs/ledger.md).
   * hazards_fts keeps, per trigram, only the hazards that hold it
   * (detail=none: no columns, no positions) and no text lengths
   * (columnsize=0: the ledger never ranks by length); the same titles and
   * descriptions of hazards, the same tokenizer.  A text of more than one
   * trigram is looked up as the AND of its trigrams and each candidate
   * checked exactly (LIKE, or cbc_text_contains: store/text_match.c), so
   * searches find what they found before.  The triggers are those of step
   * 9 -> 10, dropped first (they name the table) and put back.  IF EXISTS
   * and 'rebuild' make the step safe to run over a file that already has
   * any of it. */
  "DROP TRIGGER IF EXISTS hazards_fts_insert;"
  "DROP TRIGGER IF EXISTS hazards_fts_update;"
  "DROP TRIGGER IF EXISTS hazards_fts_delete;"
  "DROP TABLE IF EXISTS hazards_fts;"
  "CREATE VIRTUAL TABLE hazards_fts USING fts5(title, description,"
  "  content='hazards', content_rowid='id', tokenize='trigram', detail=none, columnsize=0);"
  "INSERT INTO hazards_fts(hazards_fts) VALUES('rebuild');"
  "CREATE TRIGGER hazards_fts_insert AFTER INSERT ON hazards BEGIN"
  "  INSERT INTO hazards_fts(rowid, title, description)"
  "  VALUES (new.id, new.title, new.description); END;"
  "CREATE TRIGGER hazards_fts_update AFTER UPDATE OF title, description"
  "  ON hazards BEGIN"
  "  INSERT INTO hazards_fts(hazards_fts, rowid, title, description)"
  "  VALUES ('delete', old.id, old.title, old.description);"
  "  INSERT INTO hazards_fts(rowid, title, description)"
  "  VALUES (new.id, new.title, new.description); END;"
  "CREATE TRIGGER hazards_fts_delete AFTER DELETE ON hazards BEGIN"
  "  INSERT INTO hazards_fts(hazards_fts, rowid, title, description)"
  "  VALUES ('delete', old.id, old.title, old.description); END;",
  /* 15 -> 16: a unit's hazards of a period (docs/rewards.md, "At scale").
   * A reward evaluation decides and writes a chunk of the unit tree per
   * write transaction; these let each chunk read its own units' hazards
   * of the period from indexes alone, instead of reading every hazard its
   * units ever had, or the whole organisation's period, row by row.
   * hazards_unit gains the report time (what found a unit's hazards finds
   * them still, and counts those reported in a period); the closed ones
   * carry what the figures need of them (closure, deadline, report time);
   * the rejected and the major ones with a deadline are few.  The state
   * in the closed and rejected indexes (one value each) lets SQLite read
   * them alone: it checks a partial index's condition on the query's
   * rows, from the index when the index holds the column.  The major
   * index's condition names the deadline so that the ledger's queries
   * (severity alone) keep using hazards_major, in id order.  IF EXISTS and
   * IF NOT EXISTS make the step safe to run over a file that already has
   * any of it. */
  "DROP INDEX IF EXISTS hazards_unit;"
  "CREATE INDEX hazards_unit ON hazards(unit_id, reported_at);"
  "CREATE INDEX IF NOT EXISTS hazards_unit_closed"
  "  ON hazards(unit_id, closed_at, deadline, reported_at, state) WHERE state = 5;"
  "CREATE INDEX IF NOT EXISTS hazards_unit_rejected ON hazards(unit_id, reported_at, state)"
  "  WHERE state = 6;"
  "CREATE INDEX IF NOT EXISTS hazards_unit_major ON hazards(unit_id, deadline)"
  "  WHERE severity = 2 AND deadline > 0;",
  /* 16 -> 17: region roll-ups (docs/statistics.md, "Where the figures come
   * from").  stat_rollups holds, per region node and local month, the sum
   * of stat_months over every attribution unit at or below it, and how
   * many enterprises below it ran the campaign: ran_m in the month, ran_q
   * and ran_y counted in the month of an enterprise's first active month
   * of its quarter and year, so a region's quarter and year are sums of
   * its months as an enterprise's are; stat_active keeps the months (bits)
   * each enterprise was active in, per year, which those marks are
   * computed from when a month becomes active or inactive.  The counting
   * writes them with
   * stat_months (store/stats_rollup_store.c); a unit's move carries its
   * rows from its old ancestors to its new ones.  Aggregates built before
   * this step have no roll-ups: they are marked stale, as a deferred load
   * marks them (the rebuild is never run inside the open:
   * cbc_stats_rebuild() or `cbc stats rebuild` builds both); a file
   * without aggregates (empty, or never built) has nothing to roll up.
   * The assignments' unit index carries the period's columns, so a region
   * holding every unit counts its assigned units from the index alone.
   * IF EXISTS and IF NOT EXISTS make the step safe to run over a file that
   * already has any of it. */
  "CREATE TABLE IF NOT EXISTS stat_rollups("
  "  unit_id INTEGER NOT NULL, month INTEGER NOT NULL,"
  "  activity INTEGER NOT NULL DEFAULT 0,"
  "  took_part_m INTEGER NOT NULL DEFAULT 0, took_part_q INTEGER NOT NULL DEFAULT 0,"
  "  took_part_y INTEGER NOT NULL DEFAULT 0, sessions INTEGER NOT NULL DEFAULT 0,"
  "  trained_m INTEGER NOT NULL DEFAULT 0, trained_q INTEGER NOT NULL DEFAULT 0,"
  "  trained_y INTEGER NOT NULL DEFAULT 0, leader_classes INTEGER NOT NULL DEFAULT 0,"
  "  leaders_m INTEGER NOT NULL DEFAULT 0, leaders_q INTEGER NOT NULL DEFAULT 0,"
  "  leaders_y INTEGER NOT NULL DEFAULT 0, visits INTEGER NOT NULL DEFAULT 0,"
  "  found INTEGER NOT NULL DEFAULT 0, listed INTEGER NOT NULL DEFAULT 0,"
  "  rectified INTEGER NOT NULL DEFAULT 0, ran_m INTEGER NOT NULL DEFAULT 0,"
  "  ran_q INTEGER NOT NULL DEFAULT 0, ran_y INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY(month, unit_id)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS stat_active("
  "  unit_id INTEGER NOT NULL, year INTEGER NOT NULL, months INTEGER NOT NULL,"
  "  PRIMARY KEY(unit_id, year)) WITHOUT ROWID;"
  "UPDATE settings SET value = -9223372036854775808 WHERE key = 'stats_utc_offset'"
  "  AND EXISTS (SELECT 1 FROM stat_months)"
  "  AND NOT EXISTS (SELECT 1 FROM stat_rollups);"
  "DELETE FROM settings WHERE key IN ('stats_rebuild_offset', 'stats_rebuild_cursor')"
  "  AND EXISTS (SELECT 1 FROM settings WHERE key = 'stats_utc_offset'"
  "    AND value = -9223372036854775808);"
  "DROP INDEX IF EXISTS cadre_assignments_unit;"
  "CREATE INDEX cadre_assignments_unit"
  "  ON cadre_assignments(unit_id, from_at, to_at, voided_at);",
  /* 17 -> 18: the tenant key (store/schema_tenant.h, docs/scale-out.md).
   * SQLite keeps each table's rowid as its key (a file is never sharded,
   * and a wider key would cost every index); the column is added, with
   * the default SQLite requires, and filled, so that both engines hold
   * the same rows.  The history's append-only rule is set aside for its
   * update and put back in the same transaction, as at 13 -> 14.  The
   * overdue marks are copied into a table keyed by (hazard, tenant), the
   * key the sweep's upsert names on both engines.  ADD COLUMN cannot run
   * twice: unlike the steps before, this one is not run over a file that
   * has it (tests making an older file undo it first). */
#define ADD_TENANT(t) "ALTER TABLE " t " ADD COLUMN enterprise_id INTEGER NOT NULL DEFAULT 0;"
  CBC_TENANT_ADD(ADD_TENANT)
#undef ADD_TENANT
  "CREATE TEMP TABLE cbc_tenants(unit_id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL);"
  CBC_TENANT_FILL
  "DROP TRIGGER hazard_events_append_only_u;"
  CBC_TENANT_FILL_HISTORY
  "CREATE TRIGGER hazard_events_append_only_u BEFORE UPDATE ON hazard_events"
  "  BEGIN SELECT RAISE(ABORT, 'hazard history is append-only'); END;"
  "ALTER TABLE overdue_escalations RENAME TO overdue_escalations_17;"
  "CREATE TABLE overdue_escalations(hazard_id INTEGER NOT NULL REFERENCES hazards(id),"
  "  enterprise_id INTEGER NOT NULL, escalated_at INTEGER NOT NULL,"
  "  PRIMARY KEY(hazard_id, enterprise_id)) WITHOUT ROWID;"
  CBC_TENANT_ESCALATIONS_COPY("overdue_escalations_17")
  "DROP TABLE overdue_escalations_17; DROP TABLE temp.cbc_tenants;",
  /* 18 -> 19: filings (include/cbc/filing.h), immutable: every version of
   * a unit's report for a period, its renderings as filed. */
  "CREATE TABLE IF NOT EXISTS filings(id INTEGER PRIMARY KEY,"
  "  unit_id INTEGER NOT NULL REFERENCES units(id), kind INTEGER NOT NULL CHECK(kind >= 1),"
  "  period_kind INTEGER NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL,"
  "  hazard_id INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL CHECK(version >= 1),"
  "  filed_by INTEGER NOT NULL REFERENCES employees(id),"
  "  signed_by INTEGER NOT NULL REFERENCES employees(id),"
  "  filed_at INTEGER NOT NULL, due_at INTEGER NOT NULL, note TEXT NOT NULL,"
  "  json TEXT NOT NULL, text TEXT NOT NULL, csv TEXT NOT NULL,"
  "  enterprise_id INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE(unit_id, kind, period_kind, year, number, hazard_id, version));"
  "CREATE TRIGGER IF NOT EXISTS filings_fixed_u BEFORE UPDATE ON filings"
  "  BEGIN SELECT RAISE(ABORT, 'a filing never changes'); END;"
  "CREATE TRIGGER IF NOT EXISTS filings_fixed_d BEFORE DELETE ON filings"
  "  BEGIN SELECT RAISE(ABORT, 'a filing never changes'); END;",
  /* 19 -> 20: the history's chains (include/cbc/history.h), append-only;
   * the records already there get their links when the file is first
   * opened after this step (the setting says when that is done), and a
   * filing records its enterprise's head as it was filed; the hazards'
   * administrative penalties. */
  "CREATE TABLE history_chain(enterprise_id INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL CHECK(seq >= 1), kind INTEGER NOT NULL,"
  "  record_id INTEGER NOT NULL, digest BLOB NOT NULL, hash BLOB NOT NULL,"
  "  PRIMARY KEY(enterprise_id, seq)) WITHOUT ROWID;"
  "CREATE INDEX history_chain_record ON history_chain(kind, record_id, seq);"
  "CREATE TRIGGER history_chain_fixed_u BEFORE UPDATE ON history_chain"
  "  BEGIN SELECT RAISE(ABORT, 'the history''s chain is append-only'); END;"
  "CREATE TRIGGER history_chain_fixed_d BEFORE DELETE ON history_chain"
  "  BEGIN SELECT RAISE(ABORT, 'the history''s chain is append-only'); END;"
  "ALTER TABLE filings ADD COLUMN history_seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE filings ADD COLUMN history_hash TEXT NOT NULL DEFAULT '';"
  "INSERT OR REPLACE INTO settings(key, value) VALUES ('history_chained', 0);"
  /* the administrative penalty a bureau imposed for a hazard (reward.h) */
  "CREATE TABLE penalties(hazard_id INTEGER PRIMARY KEY REFERENCES hazards(id),"
  "  amount_fen INTEGER NOT NULL CHECK(amount_fen > 0), document TEXT NOT NULL,"
  "  recorded_by INTEGER NOT NULL REFERENCES employees(id), recorded_at INTEGER NOT NULL,"
  "  enterprise_id INTEGER NOT NULL);"
  "CREATE TRIGGER penalties_fixed_u BEFORE UPDATE ON penalties"
  "  BEGIN SELECT RAISE(ABORT, 'a penalty never changes'); END;"
  "CREATE TRIGGER penalties_fixed_d BEFORE DELETE ON penalties"
  "  BEGIN SELECT RAISE(ABORT, 'a penalty never changes'); END;",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int pragma_int(cbc_store *st, const char *sql, int *out)
{
  drv_stmt *s;
  *out = 0;
  int rc = store_prepare(st, sql, false, &s);
  if (rc)
    return rc;
  rc = store_step(st, s, "reading the database header");
  if (rc == DRV_ROW)
    *out = drv_column_int(s, 0);
  drv_finalize(s);
  return rc < 0 ? rc : 0;
}

int cbc_store__schema_version(cbc_store *st, int *out)
{
  return pragma_int(st, store_on_postgres(st)
                         ? "SELECT value FROM meta WHERE key = 'schema_version'"
                         : "PRAGMA user_version",
                    out);
}

/* Whether this is a libcbc database, an empty file, or something else. */
static int check_ownership(cbc_store *st, int *version)
{
  int app_id, tables;
  int rc = pragma_int(st, "PRAGMA application_id", &app_id);
  if (!rc)
    rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &tables);
  if (!rc)
    rc = pragma_int(st, "PRAGMA user_version", version);
  if (rc)
    return rc == CBC_ECORRUPT ? cbc__error(CBC_ECORRUPT, "the file is not a libcbc database "
                                                         "(not an SQLite database)")
                              : rc;
  if (app_id != CBC_STORE_APPLICATION_ID && (app_id != 0 || tables > 0))
    return cbc__error(CBC_ECORRUPT, "the file is not a libcbc database (application_id 0x%08x)",
                      (unsigned)app_id);
  if (*version > CBC_STORE_SCHEMA_VERSION)
    return cbc__error(CBC_EVERSION, "the database has schema version %d, newer than this "
                                    "libcbc supports (%d); upgrade libcbc", *version,
                      CBC_STORE_SCHEMA_VERSION);
  return 0;
}

/* End a transaction of the open path, keeping the error that ends it. */
static int end_transaction(cbc_store *st, int rc, const char *commit_what)
{
  if (!rc)
    return store_exec(st, "COMMIT", commit_what);
  cbc__error_saved saved;
  cbc__error_save(&saved);
  if (drv_in_txn(st->conn))
    drv_exec(st->conn, "ROLLBACK", "rolling back");
  cbc__error_restore(&saved);
  return rc;
}

/* One step from the version found under the write lock: a concurrent opener
 * may have done this step, or more, since @p version was read. */
static int migrate_step(cbc_store *st, int *version)
{
  char sql[128];
  int rc = store_exec(st, "BEGIN IMMEDIATE", "starting a migration");
  if (rc)
    return rc;
  rc = check_ownership(st, version);
  int from = *version;
  if (!rc && from < N_MIGRATIONS) {
    rc = store_exec(st, migrations[from], "migrating the schema");
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d; PRAGMA application_id=%d", from + 1,
             CBC_STORE_APPLICATION_ID);
    if (!rc)
      rc = store_exec(st, sql, "recording the schema version");
  }
  rc = end_transaction(st, rc, "committing a migration");
  if (!rc && from < N_MIGRATIONS)
    *version = from + 1;
  else if (rc && from < N_MIGRATIONS)
    cbc__error_prefix("schema migration %d -> %d", from, from + 1);
  return rc;
}

/* The header is read in one read transaction: apart, its fields could come
 * from before and after a concurrent creator's first step. */
int store_schema_check(cbc_store *st, int *version)
{
  *version = 0;
  int rc = store_exec(st, "BEGIN", "reading the database header");
  if (rc)
    return rc;
  return end_transaction(st, check_ownership(st, version), "reading the database header");
}

int store_schema_migrate(cbc_store *st, int version)
{
  int rc = 0;
  if (version < N_MIGRATIONS && st->readonly)
    return cbc__error(CBC_ESTATE, "the database has schema version %d and needs upgrading to "
                                  "%d; open it once read-write", version, N_MIGRATIONS);
  while (version < N_MIGRATIONS && !rc)
    rc = migrate_step(st, &version);
  return rc;
}

const char *cbc_store__migration_sql(int from)
{
  return from >= 0 && from < N_MIGRATIONS ? migrations[from] : NULL;
}

/* The migration list and the version this build writes must agree. */
typedef char cbc__migrations_match_version[N_MIGRATIONS == CBC_STORE_SCHEMA_VERSION ? 1 : -1];
