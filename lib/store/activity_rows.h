/* Rows of the activity tables as the lookups and the listings read them
 * (lib/store/activity_store.c, lib/store/activity_list_store.c): one
 * column list and one reader per kind, so a lookup and a listing cannot
 * disagree.  Strings are borrowed from the statement.  Private to
 * lib/store/. */
#ifndef CBC_STORE_ACTIVITY_ROWS_H
#define CBC_STORE_ACTIVITY_ROWS_H

#include "store_internal.h"

/* The columns of each table under the alias x, in the readers' order. */
#define VOID_COLUMNS "x.voided_at, x.voided_by, x.void_reason"
#define TRAINING_COLUMNS \
  "x.id, x.kind, x.unit_id, x.held_at, x.minutes, x.title, x.recorded_at, " VOID_COLUMNS
#define DRILL_COLUMNS "x.id, x.unit_id, x.held_at, x.scenario, x.recorded_at, " VOID_COLUMNS
#define VISIT_COLUMNS \
  "x.id, x.cadre_id, x.unit_id, x.visited_at, x.findings, x.recorded_at, " VOID_COLUMNS
#define PROPOSAL_COLUMNS                                                                 \
  "x.id, x.proposer_id, x.unit_id, x.title, x.text, x.submitted_at, x.status,"            \
  " x.decided_by, x.decided_at, x.note, " VOID_COLUMNS
#define ASSIGNMENT_COLUMNS \
  "x.id, x.cadre_id, x.unit_id, x.from_at, x.to_at, x.recorded_at, " VOID_COLUMNS

/* Read the current row of @p s into the struct (attendees and teams are
 * left empty), and check what the file could have damaged (CBC_ECORRUPT). */
int store_training_row(drv_stmt *s, cbc_training *t);
int store_drill_row(drv_stmt *s, cbc_drill *d);
int store_visit_row(drv_stmt *s, cbc_visit *v);
int store_proposal_row(drv_stmt *s, cbc_proposal *p);
int store_assignment_row(drv_stmt *s, cbc_cadre_assignment *a);

#endif
