/* Filing's internal calls (lib/filing.c, lib/major_report.c).  Not
 * exported. */
#ifndef CBC_FILING_INTERNAL_H
#define CBC_FILING_INTERNAL_H

#include "db_internal.h"

/* Where @p unit_id stands now with its @p kind report for @p period (a
 * period of the kind's; not the major-hazard report). */
int cbc__filing_state(cbc_db *db, int64_t unit_id, cbc_filing_kind kind,
                      const cbc_period *period, cbc_filing_state *out);

/* What a report names of hazard @p h besides its own fields: its unit and
 * its responsible person (NULL before registration).  On an error the
 * ones found are set too; free with cbc__hazard_names_free(). */
typedef struct cbc__hazard_names {
  cbc_unit *unit;
  cbc_employee *responsible;
} cbc__hazard_names;
int cbc__hazard_names_get(cbc_db *db, const cbc_hazard *h, cbc__hazard_names *out);
void cbc__hazard_names_free(cbc__hazard_names *n);

/* The major-hazard report of @p h with the analysis of @p rec, as JSON,
 * text and CSV (each owned by the caller, freed with cbc__free; on an
 * error the ones made are set too). */
int cbc__major_report_render(cbc_db *db, const cbc_hazard *h, const cbc_filing_record *rec,
                             char **json, char **text, char **csv);
/* The report to the employee congress of enterprise @p unit_id for
 * @p period: its hazard table and its major hazards open in the period, as
 * JSON, text and CSV (as cbc__major_report_render). */
int cbc__congress_report_render(cbc_db *db, int64_t unit_id, const cbc_period *period,
                                char **json, char **text, char **csv);

/* Print @p cp on the renderings of @p f (lib/filing_stamp.c): a line of
 * the text, a row of the CSV, the JSON's "history_checkpoint". */
int cbc__filing_stamp(cbc_filing *f, const cbc_history_checkpoint *cp);

#endif /* CBC_FILING_INTERNAL_H */
