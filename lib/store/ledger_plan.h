/* The ledger's query plan (store/ledger_plan.c): which one index a ledger
 * query is read from.  SQLite cannot know how many hazards a unit subtree,
 * a period or the overdue set holds (an IN list over a subtree's units looks
 * like 25 rows to it, whatever the subtree), so the ledger estimates each
 * with a probe bounded in cost and names the cheapest; the statement then
 * offers SQLite only that index (store/ledger_store.c).  Private to
 * lib/store/. */
#ifndef CBC_LEDGER_PLAN_H
#define CBC_LEDGER_PLAN_H

#include "store_internal.h"

/* Where the rows come from. */
typedef enum ledger_driver {
  DRIVE_SCAN,        /* the whole ledger in id order (no filter narrows it) */
  DRIVE_ID,          /* walk ids until a page is full (a page in id order, wide filters) */
  DRIVE_UNIT,        /* hazards_unit over the subtree's units */
  DRIVE_REPORTER,    /* hazards_reporter_time */
  DRIVE_RESPONSIBLE, /* hazards_responsible */
  DRIVE_OVERDUE,     /* hazards_open_deadline */
  DRIVE_LISTED,      /* hazards_listed */
  DRIVE_MAJOR,       /* hazards_major */
  DRIVE_PERIOD,      /* hazards_reported */
  DRIVE_CLOSED,      /* hazards_closed (the filter asks for closed hazards only) */
  DRIVE_TEXT         /* the trigram index */
} ledger_driver;

typedef struct ledger_plan {
  ledger_driver driver;
  bool unit_everything; /* the subtree holds every hazard's unit: no unit
                           condition */
  bool unit_few;        /* its units are few enough to collect once, so a row
                           is checked against them instead of looking up its
                           unit's path */
  bool id_range;        /* DRIVE_ID walks only the ids of the period, bounded
                           in the statement while hazard ids follow report
                           times (the setting hazard_ids_in_report_order) */
} ledger_plan;

/* How the filter's text is searched: not at all; with the trigram index
 * only (three characters or more that LIKE would match differently; a
 * text of several trigrams checks each of the index's candidates with
 * cbc_text_contains); with the index when it drives and LIKE per row
 * otherwise (LIKE finds the same rows: like_exact_char() in
 * ledger_plan.c; it also checks the candidates of several trigrams); with
 * LIKE only (fewer than three characters).  On PostgreSQL: LIKE on the
 * folded text, by the trigram index of title and description and then on
 * each (TEXT_FOLDED). */
typedef enum ledger_text {
  TEXT_NONE,
  TEXT_INDEX,
  TEXT_INDEX_OR_LIKE,
  TEXT_LIKE,
  TEXT_FOLDED
} ledger_text;

/* The search form of @p text (UTF-8, checked). */
ledger_text ledger_text_form(const char *text);

/* What the planner needs beyond the filter: the subtree's path range
 * [lo, hi) when it has a unit; how its text is searched, and the text as
 * the index's query when the index may be used: the AND of its trigrams,
 * whose rows hold every match (the index keeps no positions: schema step
 * 14 -> 15). */
typedef struct ledger_scope {
  const char *lo, *hi;
  ledger_text text;
  const char *index_query;
  bool counting; /* for a count, which reads an index alone where it can */
} ledger_scope;

/* Plan @p f (checked, and narrowed to its viewer: lib/read_scope.h) within
 * @p scope. */
int ledger_plan_make(cbc_store *st, const cbc_hazard_filter *f, const ledger_scope *scope,
                     ledger_plan *plan);

#endif
