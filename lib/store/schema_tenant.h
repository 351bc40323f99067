/* Schema step 17 -> 18, the tenant key (docs/scale-out.md): the SQL both
 * engines' steps share (lib/store/schema.c for SQLite,
 * lib/store/schema_pg.c for PostgreSQL).
 *
 * Every row of a table that belongs to one enterprise carries that
 * enterprise in `enterprise_id`: the unit its record counts for
 * (cbc__tenant_of: the record's unit's enterprise, or the unit itself
 * above the enterprises), fixed when the row is written; a row of a
 * hazard, a training or a drill carries its parent's.  The step adds the
 * column where it is missing and fills it from the tree as it is when the
 * step runs.  Each engine's own step creates the temporary table
 * cbc_tenants(unit_id, tenant) first and says what else changes (keys on
 * PostgreSQL; the history's append-only rule set aside while it is filled
 * on both). */
#ifndef CBC_STORE_SCHEMA_TENANT_H
#define CBC_STORE_SCHEMA_TENANT_H

/* The tables the step gives the column (hazards and drills have it). */
#define CBC_TENANT_ADD(add)                                                              \
  add("hazard_events") add("hazard_attachments") add("trainings")                        \
  add("training_attendees") add("voided_training_attendees") add("drill_teams")          \
  add("voided_drill_teams") add("visits") add("proposals") add("awards") add("fines")

/* Every unit's tenant: walk up from workshops and teams to the first
 * enterprise; an enterprise or a region node is its own. */
#define CBC_TENANT_UNITS                                                                 \
  "WITH RECURSIVE up(unit_id, at, kind) AS ("                                            \
  "  SELECT id, id, kind FROM units UNION ALL"                                           \
  "  SELECT up.unit_id, p.id, p.kind FROM up JOIN units a ON a.id = up.at"               \
  "  JOIN units p ON p.id = a.parent_id WHERE up.kind IN (3, 4))"                        \
  " INSERT INTO cbc_tenants(unit_id, tenant)"                                            \
  " SELECT unit_id, coalesce(max(CASE WHEN kind = 2 THEN at END), unit_id) FROM up"      \
  " GROUP BY unit_id;"

#define CBC_TENANT_FROM_UNIT(t)                                                          \
  "UPDATE " t " SET enterprise_id = u.tenant FROM cbc_tenants u"                         \
  " WHERE u.unit_id = " t ".unit_id;"
#define CBC_TENANT_FROM(t, parent, key)                                                  \
  "UPDATE " t " SET enterprise_id = p.enterprise_id FROM " parent " p"                   \
  " WHERE p.id = " t "." key ";"

/* Filling the column of every table but the hazards' history (whose
 * append-only rule each engine sets aside around its own update). */
#define CBC_TENANT_FILL                                                                  \
  CBC_TENANT_UNITS                                                                       \
  CBC_TENANT_FROM("hazard_attachments", "hazards", "hazard_id")                          \
  CBC_TENANT_FROM_UNIT("trainings")                                                      \
  CBC_TENANT_FROM("training_attendees", "trainings", "training_id")                      \
  CBC_TENANT_FROM("voided_training_attendees", "trainings", "training_id")               \
  CBC_TENANT_FROM("drill_teams", "drills", "drill_id")                                   \
  CBC_TENANT_FROM("voided_drill_teams", "drills", "drill_id")                            \
  CBC_TENANT_FROM_UNIT("visits") CBC_TENANT_FROM_UNIT("proposals")                       \
  CBC_TENANT_FROM_UNIT("awards") CBC_TENANT_FROM_UNIT("fines")
#define CBC_TENANT_FILL_HISTORY CBC_TENANT_FROM("hazard_events", "hazards", "hazard_id")

/* overdue_escalations is keyed by (hazard, tenant) on both engines: the
 * sweep's upsert names that key.  The rows carried over from @p from. */
#define CBC_TENANT_ESCALATIONS_COPY(from)                                                \
  "INSERT INTO overdue_escalations(hazard_id, enterprise_id, escalated_at)"              \
  " SELECT o.hazard_id, h.enterprise_id, o.escalated_at FROM " from " o"                 \
  " JOIN hazards h ON h.id = o.hazard_id;"

#endif
