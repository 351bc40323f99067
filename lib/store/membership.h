/* SQL for team membership over time (docs/statistics.md, "Who took part,
 * and where"), read from the employee's history: employee_events holds
 * every transfer (from_unit -> to_unit), leaving and return with its
 * effective time, and those times never decrease per employee (org_change.c
 * clamps and org.c refuses earlier ones).  The arguments are SQL
 * expressions; the aliases inside (mh, mf) are not used elsewhere. */
#ifndef CBC_STORE_MEMBERSHIP_H
#define CBC_STORE_MEMBERSHIP_H

/* The unit employee @p e was first seen in: the unit its first change left,
 * or, with no change, its unit. */
#define FIRST_UNIT(e)                                                                    \
  "coalesce((SELECT mh.from_unit FROM employee_events mh WHERE mh.employee_id = " e      \
  " ORDER BY mh.id LIMIT 1), (SELECT mf.unit_id FROM employees mf WHERE mf.id = " e "))"

/* The last change of @p e at or before @p t (one seek of employee_events_at),
 * as @p what (an expression of mh). */
#define LAST_CHANGE(what, e, t)                                                          \
  "(SELECT " what " FROM employee_events mh WHERE mh.employee_id = " e " AND mh.at <= " t \
  " ORDER BY mh.at DESC, mh.id DESC LIMIT 1)"

/* Where @p e was at @p t, for attributing what they did themselves: the unit
 * of their last change at or before t (after leaving, the unit they left),
 * else the unit they were first seen in.  Never NULL for a known employee. */
#define UNIT_AT(e, t)                                                                    \
  "coalesce(" LAST_CHANGE("CASE mh.kind WHEN 3 THEN coalesce(nullif(mh.to_unit, 0),"      \
                          " mh.from_unit) ELSE mh.to_unit END", e, t) ", " FIRST_UNIT(e) ")"

/* The unit @p e was a member of at @p t, 0 when off the payroll then: before
 * their hire date (unknown: no start is known, so none is assumed) and from
 * leaving to a return.  Intervals are half-open: joining at t counts at t,
 * leaving or transferring out at t does not. */
#define MEMBER_UNIT_AT(e, t)                                                             \
  "coalesce(" LAST_CHANGE("CASE mh.kind WHEN 3 THEN 0 ELSE mh.to_unit END", e, t) ","    \
  " (SELECT CASE WHEN " t " >= ms.hire_date THEN " FIRST_UNIT(e) " ELSE 0 END"           \
  " FROM employees ms WHERE ms.id = " e "))"

/* The attribution unit of unit @p u: its enterprise, or itself when it is an
 * enterprise or a region node (as lib/stats_count.c attributes). */
#define ATTRIBUTION_OF(u)                                                                \
  "(SELECT CASE ax.kind WHEN 3 THEN ax.parent_id WHEN 4 THEN (SELECT CASE ap.kind"       \
  " WHEN 2 THEN ap.id ELSE ap.parent_id END FROM units ap WHERE ap.id = ax.parent_id)"   \
  " ELSE ax.id END FROM units ax WHERE ax.id = " u ")"

/* The members of drill teams d (drill_teams rows meeting @p where): who was
 * in the team at the drill's time, found among those in it now and those
 * whose history names it (to_unit, from_unit: employee_events_to/_from).
 * Columns e, at, team; a person once per (team, time). */
#define DRILL_MEMBERS(where)                                                             \
  "SELECT dm.id AS e, d.held_at AS at, d.team_id AS team FROM drill_teams d"             \
  " JOIN employees dm ON dm.unit_id = d.team_id WHERE " where " AND "                     \
  MEMBER_UNIT_AT("dm.id", "d.held_at") " = d.team_id"                                    \
  " UNION SELECT dv.employee_id, d.held_at, d.team_id FROM drill_teams d"                \
  " JOIN employee_events dv ON dv.to_unit = d.team_id WHERE " where " AND "              \
  MEMBER_UNIT_AT("dv.employee_id", "d.held_at") " = d.team_id"                           \
  " UNION SELECT dv.employee_id, d.held_at, d.team_id FROM drill_teams d"                \
  " JOIN employee_events dv ON dv.from_unit = d.team_id WHERE " where " AND "            \
  MEMBER_UNIT_AT("dv.employee_id", "d.held_at") " = d.team_id"

/* An org write changed where employee @p employee_id was from @p since on
 * (a hire starting then, a transfer, leaving or return dated then): note
 * them for the statistics to attribute again at the end of the call, when
 * anything they counted in may be affected — a drill at or after @p since,
 * or (@p may_have_records) their own marks of that year or later.  Called
 * by the org writes of lib/store/org_store.c. */
int store_membership_changed(cbc_store *st, int64_t employee_id, int64_t since,
                             bool may_have_records);

#endif
