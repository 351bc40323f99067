/* Who may read what (docs/authorization.md, "Who may read"): an active
 * employee reads one unit's subtree, plus the hazards they reported.  The
 * ledger narrows a filter with a viewer here, so the store sees only a unit
 * subtree (or the viewer's own reports) and plans it as any other.  Not
 * exported. */
#ifndef CBC_READ_SCOPE_H
#define CBC_READ_SCOPE_H

#include "db_internal.h"

/* Narrow a checked filter to what its viewer_id may read: unchanged when it
 * has no viewer or lists the viewer's own reports (reporter_id ==
 * viewer_id); else unit_id 0 becomes the viewer's scope root, and a unit
 * outside the scope is CBC_EPERM.  An inactive or unknown viewer is
 * CBC_EPERM or CBC_ENOTFOUND, as cbc_employee_read_scope() says. */
int cbc__filter_narrow_to_viewer(cbc_db *db, cbc_hazard_filter *f);

#endif
