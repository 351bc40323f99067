/* Keeping the statistics' aggregates as records are written (lib/stats_count.c).
 * Every call that writes a record the form counts calls these in the same
 * transaction, after the record itself.  Not exported. */
#ifndef CBC_STATS_INTERNAL_H
#define CBC_STATS_INTERNAL_H

#include "db_internal.h"

/* Add @p sign to each counter of @p counters (bits 1 << cbc_store_stat) in
 * the month of @p at, for the unit @p unit_id is attributed to (its
 * enterprise, or itself above enterprises). */
int cbc__stats_bump(cbc_db *db, int64_t unit_id, int64_t at, unsigned int counters, int sign);

/* Ways of taking part, as bits. */
#define CBC__TOOK_PART 1u
#define CBC__TRAINED 2u
#define CBC__TRAINED_LEADER 4u
/* Mark an employee as having taken part at @p at in the @p kinds ways,
 * counting them once per month, quarter and year in the attribution unit of
 * @p unit_id (where the record places them: a drill's team for its members
 * then), or, when it is 0, of the unit they were in at @p at by their
 * history (docs/statistics.md). */
int cbc__stats_took_part(cbc_db *db, int64_t employee_id, int64_t unit_id, int64_t at,
                         unsigned int kinds);

/* What each record counts, called after it is written. */
int cbc__stats_hazard_reported(cbc_db *db, const cbc_hazard *h);
/* A move of hazard @p after (was @p before; NULL for a replay) at @p at. */
int cbc__stats_hazard_moved(cbc_db *db, const cbc_hazard *before, const cbc_hazard *after,
                            cbc_hazard_action action, int64_t at);
int cbc__stats_training(cbc_db *db, const cbc_training_record *r);
/* A drill, and each member of its teams at its time taking part. */
int cbc__stats_drill(cbc_db *db, const cbc_drill_record *r);
int cbc__stats_visit(cbc_db *db, int64_t unit_id, int64_t cadre_id, int64_t at);
int cbc__stats_proposal(cbc_db *db, int64_t unit_id, int64_t proposer_id, int64_t at);

/* A record voided (lib/activity_void.c), after it was marked: take back
 * @p counters (bits 1 << cbc_store_stat) in the month of @p at for
 * @p unit_id's attribution unit, and count @p people (who took part
 * through it) again from the start of @p at's year from their records,
 * which no longer hold it. */
int cbc__stats_voided(cbc_db *db, int64_t unit_id, int64_t at, unsigned int counters,
                      const int64_t *people, size_t n_people);

/* What a training session of @p kind counts (counter bits), and how its
 * attendees took part (CBC__* bits). */
unsigned int cbc__stats_training_counters(cbc_training_kind kind);
unsigned int cbc__stats_attendance_ways(cbc_training_kind kind);

/* At the end of a write call (@p rc its result so far): count again the
 * employees whose past membership its org writes changed (a backdated
 * transfer, leaving or return, a hire or hire date reaching back to a
 * drill), so the aggregates keep agreeing with the records.  Returns the
 * call's result. */
int cbc__stats_org_changed(cbc_db *db, int rc);

/* Write the pending counter changes, or forget them; free their memory
 * (cbc_db_close). */
int cbc__stats_flush(cbc_db *db);
void cbc__stats_discard(cbc_db *db);
void cbc__stats_pending_free(cbc_db *db);
/* Make the pending counter changes of an open group visible to a read, or
 * roll the group back when writing them fails. */
int cbc__stats_settle(cbc_db *db);

/* The aggregates' state (lib/stats_rebuild.c, docs/statistics.md
 * "Rebuilding").  At open (read-write, not deferring): a database without
 * records has its empty aggregates complete; nothing is ever rebuilt. */
int cbc__stats_open(cbc_db *db);
/* Inside a write call, before counting a record: *keeping whether this
 * handle counts records for any attribution unit (marking the aggregates
 * stale when someone keeps them and this handle would not count its record:
 * CBC_DB_DEFER_STATS, another UTC offset); then cbc__stats_counts_for()
 * says for which. */
int cbc__stats_keep(cbc_db *db, bool *keeping);
bool cbc__stats_counts_for(const cbc_db *db, int64_t attributed);
/* Whether the aggregates are complete for this handle's UTC offset. */
int cbc__stats_ready(cbc_db *db, bool *ready);
/* Whether the aggregates can answer for the node of @p sc: complete for this
 * handle's offset, or, during a rebuild, an enterprise already rebuilt (a
 * region's rows are complete only when the rebuild is). */
struct cbc__scope;
int cbc__stats_usable(cbc_db *db, const struct cbc__scope *sc, bool *usable);

#endif
