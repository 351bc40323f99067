/* The campaign's activities (include/cbc/activity.h): training sessions,
 * drills, cadre assignments and visits, proposals.  Each call checks its
 * record against the org tree and the clock, then writes it in one
 * transaction; all checks come before the first write. */
#include "activity_internal.h"
#include "stats_internal.h"
#include "org_scope.h"
#include "request.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* cbc_training_kind_name() and cbc_proposal_status_name() are in lib/label.c. */

/* version 2 of each record appended request_key; version 3 of a training
 * session's and a drill's appended recorded_by: an older caller's struct is
 * shorter, so only its own bytes are written */
#define RECORDED_INIT_FN(fn, type, known, init)                                \
  CBC__SIZED_INIT_FN(fn, type, known,                                         \
                     (version >= 3   ? sizeof(type)                           \
                      : version == 2 ? offsetof(type, recorded_by)            \
                                     : offsetof(type, request_key)), init)
RECORDED_INIT_FN(cbc_training_record_init, cbc_training_record, CBC_TRAINING_RECORD_VERSION,
                 CBC_TRAINING_RECORD_INIT)
RECORDED_INIT_FN(cbc_drill_record_init, cbc_drill_record, CBC_DRILL_RECORD_VERSION,
                 CBC_DRILL_RECORD_INIT)
CBC__KEYED_INIT_FN(cbc_visit_record_init, cbc_visit_record, CBC_VISIT_RECORD_VERSION,
                   CBC_VISIT_RECORD_INIT, 2)
CBC__KEYED_INIT_FN(cbc_proposal_record_init, cbc_proposal_record, CBC_PROPOSAL_RECORD_VERSION,
                   CBC_PROPOSAL_RECORD_INIT, 2)

/* The recorder of a training session or drill: from version 3 on (older
 * callers' structs end before the field); 0 when none is named. */
#define RECORDER_OF(rec) ((rec)->version >= 3 ? (rec)->recorded_by : 0)

/* ------------------------------------------------------------- checks */

static int time_check(cbc_db *db, const char *what, int64_t t)
{
  if (t <= 0)
    return cbc__error(CBC_EINVAL, "the %s time is missing", what);
  if (t > CBC_TIME_MAX) /* the clock is clamped to it, but say why */
    return cbc__time_check(what, t);
  if (t > cbc_db_now(db))
    return cbc__error(CBC_EINVAL, "the %s time is after the database's clock", what);
  return 0;
}

int cbc__activity_employee_at(cbc_db *db, int64_t id, int64_t at, const char *what,
                              cbc_employee *e)
{
  cbc__actor a; /* cached for the statistics, which count them next */
  int rc = cbc_store__employee_get(db->store, id, e);
  if (!rc)
    rc = cbc__actor_from(db, e, &a);
  if (rc)
    return rc;
  if (e->active || e->left_at > at)
    return 0;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, what, id, who);
  return cbc__error(CBC_EINVAL, "%s had left before then", who);
}

/* Unit @p id, open, of one of the kinds in the bit set @p kinds (1 << kind). */
static int unit_of_kind(cbc_db *db, int64_t id, unsigned int kinds, const char *what,
                        cbc_unit *u)
{
  int rc = cbc_store__unit_get(db->store, id, u);
  if (rc || (!u->closed && (kinds & (1u << u->kind))))
    return rc;
  cbc_unit_kind kind = u->kind;
  bool closed = u->closed;
  char unit[CBC__REF_SIZE];
  cbc__describe_unit(db, what, id, unit);
  return closed ? cbc__error(CBC_EINVAL, "%s is closed", unit)
                : cbc__error(CBC_EINVAL, "%s is a %s", unit, cbc_unit_kind_name(kind));
}

#define ANY_UNIT ((1u << CBC_UNIT_REGION) | (1u << CBC_UNIT_ENTERPRISE) | \
                  (1u << CBC_UNIT_WORKSHOP) | (1u << CBC_UNIT_TEAM))

/* The units that may hold each kind of record, and what the refusal calls
 * them. */
static const struct {
  unsigned int kinds;
  const char *what;
} holders[] = {
  [CBC_ACTIVITY_TRAINING] = { ANY_UNIT, "unit" },
  [CBC_ACTIVITY_DRILL] = { (1u << CBC_UNIT_ENTERPRISE) | (1u << CBC_UNIT_WORKSHOP),
                           "drill unit" },
  [CBC_ACTIVITY_VISIT] = { ANY_UNIT, "visited unit" },
  [CBC_ACTIVITY_PROPOSAL] = { ANY_UNIT, "unit" },
  [CBC_ACTIVITY_ASSIGNMENT] = { (1u << CBC_UNIT_ENTERPRISE) | (1u << CBC_UNIT_REGION),
                                "assigned unit" },
};

int cbc__activity_unit_check(cbc_db *db, cbc_activity_kind kind, int64_t unit_id, cbc_unit *u)
{
  return unit_of_kind(db, unit_id, holders[kind].kinds, holders[kind].what, u);
}

/* A recorder named (@p actor_id not 0) who may record a record of @p kind
 * on @p unit_id; checked after the record itself. */
static int recorder_check(cbc_db *db, cbc_activity_kind kind, int64_t unit_id, int64_t actor_id)
{
  return actor_id ? cbc__activity_may_record(db, kind, unit_id, actor_id) : 0;
}

static int recorder_id_check(int64_t actor_id)
{
  return actor_id < 0 ? cbc__error(CBC_EINVAL, "invalid recorder id %lld", (long long)actor_id)
                      : 0;
}

static int cmp_id(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* CBC_EINVAL naming the first id listed twice (as @p describe names it). */
static int unique_ids(cbc_db *db, cbc__describe_fn describe, const char *what,
                      const int64_t *ids, size_t n, size_t stride)
{
  int64_t *sorted = cbc__malloc(n * sizeof(int64_t));
  if (!sorted)
    return cbc__error_oom();
  for (size_t i = 0; i < n; i++)
    memcpy(&sorted[i], (const char *)ids + i * stride, sizeof(int64_t));
  qsort(sorted, n, sizeof(int64_t), cmp_id);
  size_t i = 1;
  while (i < n && sorted[i] != sorted[i - 1])
    i++;
  int64_t twice = i < n ? sorted[i] : 0;
  cbc__free(sorted);
  if (i >= n)
    return 0;
  char ref[CBC__REF_SIZE];
  describe(db, what, twice, ref);
  return cbc__error(CBC_EINVAL, "%s is listed twice", ref);
}

/* Write call wrapper: all checks first, then the writes, one transaction. */
static int activity_call(cbc_db *db, cbc__write_fn fn, const void *args, int64_t *out_id)
{
  return cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, fn, args, out_id);
}

/* ------------------------------------------------------------- training */

#define UNIT_HEADS (CBC_ROLE_PRINCIPAL | CBC_ROLE_WORKSHOP_DIRECTOR | CBC_ROLE_TEAM_LEADER)
#define ANYWHERE (CBC_ROLE_UNION_CADRE | CBC_ROLE_EXPERT | CBC_ROLE_BUREAU_INSPECTOR)

static int attendee_check(cbc_db *db, const cbc_training_record *r, const cbc_attendee *a)
{
  cbc_employee e;
  bool inside = false;
  char who[CBC__REF_SIZE], unit[CBC__REF_SIZE];
  if (a->passed != 0 && a->passed != 1) {
    cbc__describe_employee(db, "attendee", a->employee_id, who);
    return cbc__error(CBC_EINVAL, "%s: passed must be 0 or 1", who);
  }
  int rc = cbc__activity_employee_at(db, a->employee_id, r->held_at, "attendee", &e);
  if (rc)
    return rc;
  unsigned int roles = e.roles; /* e is borrowed: describing re-reads employees */
  if (roles & ANYWHERE)
    inside = true;
  else
    rc = cbc_store__unit_within(db->store, e.unit_id, r->unit_id, &inside);
  bool may_class = r->kind != CBC_TRAINING_LEADER_CLASS || (roles & UNIT_HEADS);
  if (rc || (inside && may_class))
    return rc;
  cbc__describe_employee(db, "attendee", a->employee_id, who);
  if (!inside) {
    cbc__describe_unit(db, "unit", r->unit_id, unit);
    return cbc__error(CBC_EINVAL, "%s is not in %s (only union cadres, experts and inspectors "
                      "attend from outside)", who, unit);
  }
  return cbc__error(CBC_EINVAL, "%s heads no unit; a leader class is for principals, workshop "
                    "directors and team leaders", who);
}

static int training_check(cbc_db *db, const cbc_training_record *r)
{
  cbc_unit u;
  int rc = cbc__check_version("cbc_training_record", r->version, CBC_TRAINING_RECORD_VERSION);
  if (!rc && !cbc_training_kind_name(r->kind))
    rc = cbc__error(CBC_EINVAL, "unknown training kind %d", (int)r->kind);
  if (!rc && (r->minutes < 1 || r->minutes > 1440))
    rc = cbc__error(CBC_EINVAL, "a session lasts 1..1440 minutes, not %d", r->minutes);
  if (!rc)
    rc = cbc__text_check("title", r->title, 1, CBC_MAX_ACTIVITY_TITLE);
  if (!rc)
    rc = recorder_id_check(RECORDER_OF(r));
  if (!rc)
    rc = time_check(db, "training", r->held_at);
  if (!rc && (r->n_attendees < 1 || r->n_attendees > CBC_MAX_ATTENDEES || !r->attendees))
    rc = cbc__error(CBC_EINVAL, "a session has 1..%d attendees", CBC_MAX_ATTENDEES);
  if (!rc)
    rc = cbc__activity_unit_check(db, CBC_ACTIVITY_TRAINING, r->unit_id, &u);
  if (!rc)
    rc = unique_ids(db, cbc__describe_employee, "attendee", &r->attendees[0].employee_id,
                    r->n_attendees, sizeof(cbc_attendee));
  for (size_t i = 0; i < r->n_attendees && !rc; i++)
    rc = attendee_check(db, r, &r->attendees[i]);
  return rc ? rc : recorder_check(db, CBC_ACTIVITY_TRAINING, r->unit_id, RECORDER_OF(r));
}

static int training_add(cbc_db *db, const void *args, int64_t *out_id)
{
  const cbc_training_record *r = args;
  int64_t tenant;
  int rc = training_check(db, r);
  if (!rc)
    rc = cbc__tenant_of(db, r->unit_id, &tenant);
  if (!rc)
    rc = cbc_store__training_insert(db->store, r, tenant, cbc_db_now(db), out_id);
  return rc ? rc : cbc__stats_training(db, args);
}

CBC_EXTERN(int) cbc_training_add(int64_t *out_id, cbc_db *db, const cbc_training_record *rec)
{
  CBC__CHECK_ARG(rec);
  return cbc__request_keyed_call(db, CBC__REQ_TRAINING, CBC__REQUEST_KEY_OF(rec, 2),
                                 cbc__training_request_args, training_add, rec, out_id);
}

/* --------------------------------------------------------------- drills */

static int not_under(cbc_db *db, int64_t team_id, int64_t unit_id)
{
  char team[CBC__REF_SIZE], unit[CBC__REF_SIZE];
  cbc__describe_unit(db, "team", team_id, team);
  cbc__describe_unit(db, "unit", unit_id, unit);
  return cbc__error(CBC_EINVAL, "%s is not under %s", team, unit);
}

static int drill_check(cbc_db *db, const cbc_drill_record *r, int64_t *enterprise_id)
{
  cbc_unit u;
  int rc = cbc__check_version("cbc_drill_record", r->version, CBC_DRILL_RECORD_VERSION);
  if (!rc)
    rc = cbc__text_check("scenario", r->scenario, 1, CBC_MAX_ACTIVITY_TITLE);
  if (!rc)
    rc = recorder_id_check(RECORDER_OF(r));
  if (!rc)
    rc = time_check(db, "drill", r->held_at);
  if (!rc && (r->n_teams < 1 || r->n_teams > CBC_MAX_DRILL_TEAMS || !r->team_ids))
    rc = cbc__error(CBC_EINVAL, "a drill has 1..%d teams", CBC_MAX_DRILL_TEAMS);
  if (!rc)
    rc = cbc__activity_unit_check(db, CBC_ACTIVITY_DRILL, r->unit_id, &u);
  if (rc)
    return rc;
  *enterprise_id = u.kind == CBC_UNIT_ENTERPRISE ? u.id : u.parent_id;
  rc = unique_ids(db, cbc__describe_unit, "team", r->team_ids, r->n_teams, sizeof(int64_t));
  for (size_t i = 0; i < r->n_teams && !rc; i++) {
    bool inside = false;
    rc = unit_of_kind(db, r->team_ids[i], 1u << CBC_UNIT_TEAM, "drill team", &u);
    if (!rc)
      rc = cbc_store__unit_within(db->store, r->team_ids[i], r->unit_id, &inside);
    if (!rc && !inside)
      rc = not_under(db, r->team_ids[i], r->unit_id);
  }
  return rc ? rc : recorder_check(db, CBC_ACTIVITY_DRILL, r->unit_id, RECORDER_OF(r));
}

static int drill_add(cbc_db *db, const void *args, int64_t *out_id)
{
  int64_t enterprise_id;
  int rc = drill_check(db, args, &enterprise_id);
  if (!rc)
    rc = cbc_store__drill_insert(db->store, args, enterprise_id, cbc_db_now(db), out_id);
  return rc ? rc : cbc__stats_drill(db, args);
}

CBC_EXTERN(int) cbc_drill_add(int64_t *out_id, cbc_db *db, const cbc_drill_record *rec)
{
  CBC__CHECK_ARG(rec);
  return cbc__request_keyed_call(db, CBC__REQ_DRILL, CBC__REQUEST_KEY_OF(rec, 2),
                                 cbc__drill_request_args, drill_add, rec, out_id);
}

/* ----------------------------------------------------------- supervision */

/* A union cadre on the payroll at @p at. */
int cbc__activity_cadre_at(cbc_db *db, int64_t id, int64_t at)
{
  cbc_employee e;
  int rc = cbc__activity_employee_at(db, id, at, "cadre", &e);
  if (rc || (e.roles & CBC_ROLE_UNION_CADRE))
    return rc;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", id, who);
  return cbc__error(CBC_EINVAL, "%s is not a union cadre", who);
}

typedef struct assign_args {
  int64_t cadre_id, unit_id, from, to;
  int64_t actor_id; /* who assigns; 0 unchecked (cbc_cadre_assign, _keyed) */
} assign_args;

static int already_assigned(cbc_db *db, int64_t cadre_id, int64_t unit_id)
{
  char who[CBC__REF_SIZE], unit[CBC__REF_SIZE];
  cbc__describe_employee(db, "cadre", cadre_id, who);
  cbc__describe_unit(db, "unit", unit_id, unit);
  return cbc__error(CBC_ECONFLICT, "%s is already assigned to %s in that period", who, unit);
}

static int assign(cbc_db *db, const void *args, int64_t *out_id)
{
  const assign_args *a = args;
  cbc_unit u;
  bool overlaps = false;
  int rc = a->from > 0 && (a->to == 0 || a->to > a->from)
               ? cbc__time_check("the assignment's end", a->to)
               : cbc__error(CBC_EINVAL, "an empty or inverted assignment period");
  if (!rc)
    rc = cbc__time_check("the assignment's start", a->from);
  if (!rc)
    rc = cbc__activity_cadre_at(db, a->cadre_id, cbc_db_now(db));
  if (!rc)
    rc = cbc__activity_unit_check(db, CBC_ACTIVITY_ASSIGNMENT, a->unit_id, &u);
  if (!rc)
    rc = cbc_store__assignment_overlaps(db->store, a->cadre_id, a->unit_id, a->from, a->to,
                                        &overlaps);
  if (!rc && overlaps)
    rc = already_assigned(db, a->cadre_id, a->unit_id);
  if (!rc)
    rc = recorder_check(db, CBC_ACTIVITY_ASSIGNMENT, a->unit_id, a->actor_id);
  return rc ? rc
            : cbc_store__assignment_insert(db->store, a->cadre_id, a->unit_id, a->from, a->to,
                                           cbc_db_now(db), out_id);
}

CBC_EXTERN(int) cbc_cadre_assign(int64_t *out_id, cbc_db *db, int64_t cadre_id, int64_t unit_id,
                                 int64_t from, int64_t to)
{
  assign_args a = { cadre_id, unit_id, from, to, 0 };
  return activity_call(db, assign, &a, out_id);
}

static void assign_request_args(cbc__request *rq, const void *args)
{
  const assign_args *a = args;
  cbc__request_int(rq, a->cadre_id);
  cbc__request_int(rq, a->unit_id);
  cbc__request_int(rq, a->from);
  cbc__request_int(rq, a->to);
  if (a->actor_id) /* keys used without an actor keep their digest */
    cbc__request_int(rq, a->actor_id);
}

CBC_EXTERN(int) cbc_cadre_assign_keyed(int64_t *out_id, cbc_db *db, int64_t cadre_id,
                                       int64_t unit_id, int64_t from, int64_t to,
                                       const char *request_key)
{
  assign_args a = { cadre_id, unit_id, from, to, 0 };
  return cbc__request_keyed_call(db, CBC__REQ_CADRE_ASSIGN, request_key, assign_request_args,
                                 assign, &a, out_id);
}

static int actor_id_check(int64_t actor_id)
{
  return actor_id < 1 ? cbc__error(CBC_EINVAL, "invalid actor id %lld", (long long)actor_id)
                      : 0;
}

CBC_EXTERN(int) cbc_cadre_assign_by(int64_t *out_id, cbc_db *db, int64_t actor_id,
                                    int64_t cadre_id, int64_t unit_id, int64_t from, int64_t to,
                                    const char *request_key)
{
  if (out_id)
    *out_id = 0;
  int rc = actor_id_check(actor_id);
  if (rc)
    return rc;
  assign_args a = { cadre_id, unit_id, from, to, actor_id };
  return cbc__request_keyed_call(db, CBC__REQ_CADRE_ASSIGN, request_key, assign_request_args,
                                 assign, &a, out_id);
}

typedef struct release_args {
  int64_t assignment_id, at;
  int64_t actor_id; /* who releases it; 0 unchecked (cbc_cadre_release) */
} release_args;

int cbc__assignment_open(cbc_db *db, int64_t assignment_id, cbc_cadre_assignment *row)
{
  int rc = cbc_store__assignment_get(db->store, assignment_id, row);
  if (!rc && (row->to || row->voided_at))
    rc = cbc__error(CBC_ESTATE, "assignment %lld has already %s", (long long)assignment_id,
                    row->voided_at ? "been voided" : "ended");
  return rc;
}

static int release(cbc_db *db, const void *args, int64_t *out_id)
{
  const release_args *a = args;
  cbc_cadre_assignment row;
  (void)out_id;
  int rc = cbc__time_check("the release time", a->at);
  if (!rc)
    rc = cbc__assignment_open(db, a->assignment_id, &row);
  if (!rc && a->at <= row.from)
    rc = cbc__error(CBC_EINVAL, "an assignment ends after it starts");
  if (!rc)
    rc = recorder_check(db, CBC_ACTIVITY_ASSIGNMENT, row.unit_id, a->actor_id);
  return rc ? rc : cbc_store__assignment_end(db->store, a->assignment_id, a->at);
}

CBC_EXTERN(int) cbc_cadre_release(cbc_db *db, int64_t assignment_id, int64_t at)
{
  release_args a = { assignment_id, at, 0 };
  return activity_call(db, release, &a, NULL);
}

CBC_EXTERN(int) cbc_cadre_release_by(cbc_db *db, int64_t assignment_id, int64_t actor_id,
                                     int64_t at)
{
  int rc = actor_id_check(actor_id);
  if (rc)
    return rc;
  release_args a = { assignment_id, at, actor_id };
  return activity_call(db, release, &a, NULL);
}

static int visit_add(cbc_db *db, const void *args, int64_t *out_id)
{
  const cbc_visit_record *r = args;
  cbc_unit u;
  int64_t tenant;
  int rc = cbc__check_version("cbc_visit_record", r->version, CBC_VISIT_RECORD_VERSION);
  if (!rc)
    rc = cbc__long_text_check("findings", r->findings, 0, CBC_MAX_ACTIVITY_TEXT);
  if (!rc)
    rc = time_check(db, "visit", r->visited_at);
  if (!rc)
    rc = cbc__activity_cadre_at(db, r->cadre_id, r->visited_at);
  if (!rc)
    rc = cbc__activity_unit_check(db, CBC_ACTIVITY_VISIT, r->unit_id, &u);
  if (!rc)
    rc = cbc__tenant_of(db, r->unit_id, &tenant);
  if (!rc)
    rc = cbc_store__visit_insert(db->store, r, tenant, cbc_db_now(db), out_id);
  return rc ? rc : cbc__stats_visit(db, r->unit_id, r->cadre_id, r->visited_at);
}

CBC_EXTERN(int) cbc_visit_add(int64_t *out_id, cbc_db *db, const cbc_visit_record *rec)
{
  CBC__CHECK_ARG(rec);
  return cbc__request_keyed_call(db, CBC__REQ_VISIT, CBC__REQUEST_KEY_OF(rec, 2),
                                 cbc__visit_request_args, visit_add, rec, out_id);
}

/* ------------------------------------------------------------ proposals */

static int proposal_add(cbc_db *db, const void *args, int64_t *out_id)
{
  const cbc_proposal_record *r = args;
  cbc_employee e;
  cbc_unit u;
  int64_t tenant;
  int rc = cbc__check_version("cbc_proposal_record", r->version, CBC_PROPOSAL_RECORD_VERSION);
  if (!rc)
    rc = cbc__text_check("title", r->title, 1, CBC_MAX_ACTIVITY_TITLE);
  if (!rc)
    rc = cbc__long_text_check("text", r->text, 1, CBC_MAX_ACTIVITY_TEXT);
  if (!rc)
    rc = cbc__activity_employee_at(db, r->proposer_id, cbc_db_now(db), "proposer", &e);
  int64_t unit_id = r->unit_id ? r->unit_id : e.unit_id;
  if (!rc)
    rc = cbc__activity_unit_check(db, CBC_ACTIVITY_PROPOSAL, unit_id, &u);
  if (!rc)
    rc = cbc__tenant_of(db, unit_id, &tenant);
  if (!rc)
    rc = cbc_store__proposal_insert(db->store, r, unit_id, tenant, cbc_db_now(db), out_id);
  return rc ? rc : cbc__stats_proposal(db, unit_id, r->proposer_id, cbc_db_now(db));
}

CBC_EXTERN(int) cbc_proposal_submit(int64_t *out_id, cbc_db *db, const cbc_proposal_record *rec)
{
  CBC__CHECK_ARG(rec);
  return cbc__request_keyed_call(db, CBC__REQ_PROPOSAL, CBC__REQUEST_KEY_OF(rec, 2),
                                 cbc__proposal_request_args, proposal_add, rec, out_id);
}

typedef struct decide_args {
  int64_t proposal_id, actor_id;
  int adopted;
  const char *note;
} decide_args;

int cbc__proposal_decide_allowed(cbc_db *db, int64_t proposal_id, int64_t actor_id)
{
  cbc_proposal p;
  int rc = cbc_store__proposal_get(db->store, proposal_id, &p);
  if (!rc && p.voided_at)
    rc = cbc__error(CBC_ESTATE, "proposal %lld was voided", (long long)proposal_id);
  if (!rc && p.status != CBC_PROPOSAL_SUBMITTED)
    rc = cbc__error(CBC_ESTATE, "proposal %lld was already decided (%s)", (long long)proposal_id,
                    p.status == CBC_PROPOSAL_ADOPTED ? "adopted" : "not adopted");
  return rc ? rc : cbc__proposal_may_decide(db, actor_id, p.unit_id);
}

static int decide(cbc_db *db, const void *args, int64_t *out_id)
{
  const decide_args *a = args;
  (void)out_id;
  int rc = a->adopted == 0 || a->adopted == 1 ? 0
                                              : cbc__error(CBC_EINVAL, "adopted must be 0 or 1");
  if (!rc)
    rc = cbc__long_text_check("note", a->note, 0, CBC_MAX_ACTIVITY_TEXT);
  if (!rc)
    rc = cbc__proposal_decide_allowed(db, a->proposal_id, a->actor_id);
  return rc ? rc
            : cbc_store__proposal_decide(db->store, a->proposal_id,
                                         a->adopted ? CBC_PROPOSAL_ADOPTED
                                                    : CBC_PROPOSAL_NOT_ADOPTED,
                                         a->actor_id, cbc_db_now(db), a->note);
}

CBC_EXTERN(int) cbc_proposal_decide(cbc_db *db, int64_t proposal_id, int64_t actor_id,
                                    int adopted, const char *note)
{
  decide_args a = { proposal_id, actor_id, adopted, note };
  return activity_call(db, decide, &a, NULL);
}
