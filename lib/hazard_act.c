/* The moves on a reported hazard (include/cbc/hazard.h): one pipeline —
 * the transition table, the move's own checks, the actor's facts from the
 * org tree, the authorization rules, the fold, and the row plus its event in
 * one transaction. */
#include "hazard_internal.h"
#include "reward_internal.h"
#include "fsm.h"
#include "org_scope.h"
#include "request.h"
#include "stats_internal.h"
#include <string.h>

/* The pipeline's parts (lib/hazard_internal.h), by their short names here. */
typedef cbc__prepare_fn prepare_fn;
typedef cbc__move_spec move_spec;

int cbc__hazard_actor_facts(cbc_db *db, int64_t actor_id, const cbc_hazard *h,
                            cbc__actor_facts *f)
{
  cbc__actor a;
  cbc__scope hs;
  int rc = cbc__actor_of(db, actor_id, &a);
  if (!rc)
    rc = cbc__scope_of_unit(db, h->unit_id, &hs);
  if (rc)
    return rc;
  memset(f, 0, sizeof(*f));
  f->id = actor_id;
  f->roles = a.roles;
  f->active = a.active;
  f->same_team = hs.team && a.place.unit == hs.team;
  f->same_workshop = hs.workshop && a.place.workshop == hs.workshop;
  f->same_enterprise = a.place.enterprise == h->enterprise_id;
  bool inside = false;
  if (a.place.kind == CBC_UNIT_REGION)
    rc = cbc_store__unit_within(db->store, h->unit_id, a.place.unit, &inside);
  f->in_region = inside;
  f->is_responsible = h->responsible_id == actor_id;
  f->is_submitter = h->submitted_by == actor_id;
  return rc;
}

/* The system (the overdue sweep) acts as actor 0. */
static int facts_for(cbc_db *db, int64_t actor_id, const cbc_hazard *h, cbc__actor_facts *f)
{
  if (actor_id != 0)
    return cbc__hazard_actor_facts(db, actor_id, h, f);
  memset(f, 0, sizeof(*f));
  f->active = true;
  return 0;
}

void cbc__hazard_facts_of(const cbc_hazard *h, cbc__hazard_facts *hf)
{
  cbc__hazard_facts facts = { h->severity ? h->severity : h->proposed_severity, h->level,
                              h->listed, false, false };
  *hf = facts;
}

int cbc__hazard_step_check(const cbc_hazard *h, cbc_hazard_action action)
{
  const cbc__transition *t;
  int rc = cbc__fsm_step(&t, h->state, action);
  if (!rc && (t->flags & CBC__FSM_MAJOR_ONLY) && h->severity != CBC_SEVERITY_MAJOR)
    rc = cbc__error(CBC_ESTATE, "%s is for major hazards only", cbc_hazard_action_name(action));
  return rc;
}

/* The hazard @p h (borrowed from the store's row, its strings valid for the
 * call) through @p spec's move. */
static int apply_move(cbc_db *db, cbc_hazard *h, int64_t actor_id, const move_spec *spec)
{
  cbc__actor_facts af;
  int rc = cbc__hazard_step_check(h, spec->action);
  cbc__move m = { 0 };
  m.action = spec->action;
  m.at = cbc_db_now(db);
  m.actor_id = actor_id;
  cbc__hazard_facts hf;
  cbc__hazard_facts_of(h, &hf);
  if (!rc)
    rc = spec->prepare(db, h, &m, &hf, spec->args);
  if (!rc)
    rc = facts_for(db, actor_id, h, &af);
  if (!rc && !spec->own_flow && (rc = cbc__authz_check(spec->action, &af, &hf)) != 0 &&
      actor_id != 0)
    cbc__error_prefix_employee(db, "employee", actor_id);
  const cbc_hazard before = *h;
  if (!rc)
    rc = cbc__hazard_fold(h, &m);
  if (!rc)
    rc = cbc_store__hazard_update(db->store, &before, h);
  if (!rc)
    rc = cbc__hazard_record_event(db, h, &m, before.state, spec->evidence, spec->n_evidence,
                                  spec->stage);
  if (!rc)
    rc = cbc__stats_hazard_moved(db, &before, h, spec->action, m.at);
  if (!rc)
    rc = cbc__reward_hazard_moved(db, h, spec->action);
  return rc;
}

typedef struct move_args {
  int64_t hazard_id, actor_id;
  const move_spec *spec;
} move_args;

static int run_move(cbc_db *db, const void *args, int64_t *out_id)
{
  const move_args *a = args;
  cbc_hazard h;
  (void)out_id;
  int rc = cbc_store__hazard_get_move(db->store, a->hazard_id, &h);
  return rc ? rc : apply_move(db, &h, a->actor_id, a->spec);
}

/* The public entry: checks, then one write transaction. */
static int move(cbc_db *db, int64_t hazard_id, int64_t actor_id, const move_spec *spec)
{
  int rc = cbc__db_check_write(db);
  if (!rc)
    rc = cbc__attachments_check(spec->evidence, spec->n_evidence);
  if (!rc && actor_id <= 0)
    rc = cbc__error(CBC_EINVAL, "invalid actor id %lld", (long long)actor_id);
  const move_args args = { hazard_id, actor_id, spec };
  return rc ? rc : cbc__db_write_call(db, CBC__WRITE_CHECKED_FIRST, run_move, &args, NULL);
}

int cbc__hazard_move(cbc_db *db, int64_t hazard_id, int64_t actor_id, const move_spec *spec)
{
  return move(db, hazard_id, actor_id, spec);
}

/* ------------------------------------------------------------- helpers */

/* Texts up to CBC_MAX_TEXT are the long ones (measures, plans, reasons,
 * notes): they may hold line breaks and tabs.  Shorter ones (authority,
 * document) are single-line. */
static int required_text(const char *field, const char *v, size_t max)
{
  return max == CBC_MAX_TEXT ? cbc__long_text_check(field, v, 1, max)
                             : cbc__text_check(field, v, 1, max);
}

/* Where person @p id stands for the responsibility of hazard @p h. */
static int responsible_facts(cbc_db *db, const cbc_hazard *h, int64_t id,
                             cbc__responsible_facts *f)
{
  cbc__actor known; /* (cached for actor_facts) */
  cbc__scope hs;
  int rc = cbc__actor_of(db, id, &known);
  if (rc == CBC_ENOTFOUND)
    return cbc__error(CBC_EINVAL, "responsible_id %lld: no such employee", (long long)id);
  if (!rc)
    rc = cbc__hazard_actor_facts(db, id, h, &f->person);
  if (!rc)
    rc = cbc__scope_of_unit(db, h->unit_id, &hs);
  if (rc)
    return rc;
  f->is_reporter = id == h->reporter_id;
  /* a hazard's unit above a team (or a workshop): the next level up stands in */
  f->in_workshop = hs.workshop ? f->person.same_workshop : f->person.same_enterprise;
  f->in_team = hs.team ? f->person.same_team : f->in_workshop;
  return 0;
}

/* Whether @p id (named @p as in messages) may be responsible for @p h at
 * @p level (docs/authorization.md). */
static int responsible_check(cbc_db *db, const cbc_hazard *h, cbc_level level, int64_t id,
                             const char *as)
{
  cbc__responsible_facts f;
  int rc = responsible_facts(db, h, id, &f);
  if (!rc && (rc = cbc__authz_responsible(&f, level)) != 0)
    cbc__error_prefix_employee(db, as, id);
  return rc;
}

int cbc__hazard_responsible_check(cbc_db *db, const cbc_hazard *h, cbc_level level, int64_t id)
{
  return responsible_check(db, h, level, id, "responsible_id");
}

/* The responsible person at @p level: given (checked against the rule),
 * or resolved: INDIVIDUAL, the reporter (checked likewise: a reporter
 * outside the enterprise cannot be); above, the role holder the org tree
 * finds under the hazard's team, workshop or enterprise, who qualifies. */
static int resolve_responsible(cbc_db *db, const cbc_hazard *h, cbc_level level, int64_t given,
                               int64_t *out)
{
  if (given) {
    *out = given;
    return responsible_check(db, h, level, given, "responsible_id");
  }
  if (level == CBC_LEVEL_INDIVIDUAL) {
    *out = h->reporter_id;
    return h->reporter_id ? responsible_check(db, h, level, h->reporter_id, "the reporter")
                          : cbc__error(CBC_EINVAL, "an anonymous report has no post; register "
                                                   "it at TEAM level or above");
  }
  int rc = cbc__responsible_of(db, h->unit_id, level, out);
  if (rc)
    cbc__error_prefix("resolving the responsible person");
  return rc;
}

static int plan_check(const cbc_rectification_plan *p)
{
  if (!p)
    return cbc__error(CBC_EINVAL, "the rectification plan is missing");
  int rc = required_text("plan goals", p->goals, CBC_MAX_TEXT);
  if (!rc)
    rc = required_text("plan methods", p->methods, CBC_MAX_TEXT);
  if (!rc)
    rc = required_text("plan funds and materials", p->funds_materials, CBC_MAX_TEXT);
  if (!rc)
    rc = required_text("plan responsible bodies", p->responsible_bodies, CBC_MAX_TEXT);
  if (!rc)
    rc = required_text("plan safety measures", p->safety_measures, CBC_MAX_TEXT);
  if (!rc && p->time_limit <= 0)
    rc = cbc__error(CBC_EINVAL, "the plan's time limit is missing");
  if (!rc)
    rc = cbc__time_check("the plan's time limit", p->time_limit);
  return rc;
}

static void take_plan(cbc__move *m, const cbc_rectification_plan *p)
{
  m->has_plan = 1;
  m->plan = *p;
}

/* ---------------------------------------------------------------- moves */

int cbc__hazard_move_ready(const cbc_hazard *h, cbc_hazard_action action)
{
  switch (action) {
  case CBC_ACTION_ESCALATE:
  case CBC_ACTION_ESCALATE_OVERDUE:
    return h->level >= CBC_LEVEL_ENTERPRISE
               ? cbc__error(CBC_ESTATE, "the hazard is already at ENTERPRISE level; it cannot "
                                        "go higher (major hazards may be listed for supervision)")
               : 0;
  case CBC_ACTION_LIST_SUPERVISION:
    return h->listed ? cbc__error(CBC_ESTATE, "the hazard is already listed for supervision") : 0;
  case CBC_ACTION_REQUEST_EXTENSION:
    if (h->extension_pending)
      return cbc__error(CBC_ESTATE, "an extension request is already pending");
    return cbc__later_deadline_exists(h)
               ? 0 : cbc__error(CBC_ESTATE, "the deadline is already the latest time libcbc "
                                            "holds (CBC_TIME_MAX); no later one can be asked for");
  case CBC_ACTION_DECIDE_EXTENSION:
    return h->extension_pending ? 0 : cbc__error(CBC_ESTATE, "no extension request is pending");
  case CBC_ACTION_FILE_PLAN:
    return h->level == CBC_LEVEL_ENTERPRISE
               ? 0 : cbc__error(CBC_ESTATE, "a rectification plan is filed at ENTERPRISE level");
  case CBC_ACTION_SUBMIT:
    return h->level == CBC_LEVEL_ENTERPRISE && !h->has_plan
               ? cbc__error(CBC_ESTATE, "at ENTERPRISE level the rectification plan must be "
                                        "filed first")
               : 0;
  default:
    return 0;
  }
}

typedef struct reject_args {
  const char *reason;
  int64_t duplicate_of;
} reject_args;

/* The hazard a duplicate names: another live one of the same enterprise. */
static int original_check(cbc_db *db, const cbc_hazard *h, int64_t original_id)
{
  cbc__original_facts o = { true, original_id == h->id, false, true };
  cbc_hazard_state state = (cbc_hazard_state)0;
  int64_t enterprise = h->enterprise_id;
  int rc = o.is_self ? 0 : cbc_store__hazard_place(db->store, original_id, &state, &enterprise);
  if (rc == CBC_ENOTFOUND)
    o.exists = false;
  else if (rc)
    return rc;
  o.rejected = state == CBC_HAZARD_REJECTED;
  o.same_enterprise = enterprise == h->enterprise_id;
  return cbc__authz_duplicate(original_id, &o);
}

static int prep_reject(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                       const void *args)
{
  const reject_args *a = args;
  (void)hf;
  int rc = a->duplicate_of ? original_check(db, h, a->duplicate_of) : 0;
  if (!rc)
    rc = cbc__long_text_check("reason", a->reason, a->duplicate_of ? 0 : 1, CBC_MAX_TEXT);
  m->reason = a->reason;
  m->duplicate_of = a->duplicate_of;
  return rc;
}

CBC_EXTERN(int) cbc_hazard_reject(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                  const char *reason, int64_t duplicate_of)
{
  reject_args a = { reason, duplicate_of };
  move_spec s = { CBC_ACTION_REJECT, prep_reject, &a, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

static int registration_check(const cbc_hazard_registration *r, const cbc_hazard *h)
{
  int rc = cbc__check_version("cbc_hazard_registration", r->version,
                              CBC_HAZARD_REGISTRATION_VERSION);
  if (rc)
    return rc;
  if (r->severity != CBC_SEVERITY_GENERAL && r->severity != CBC_SEVERITY_MAJOR)
    return cbc__error(CBC_EINVAL, "unknown severity %d", (int)r->severity);
  if (!cbc_level_name(r->level))
    return cbc__error(CBC_EINVAL, "unknown level %d", (int)r->level);
  if (r->severity == CBC_SEVERITY_MAJOR && r->level != CBC_LEVEL_ENTERPRISE)
    return cbc__error(CBC_EINVAL, "a major hazard is handled at ENTERPRISE level");
  if (r->severity == CBC_SEVERITY_MAJOR && !r->plan)
    return cbc__error(CBC_EINVAL, "a major hazard needs its rectification plan");
  rc = required_text("measures", r->measures, CBC_MAX_TEXT);
  if (!rc)
    rc = required_text("contingency_plan", r->contingency_plan, CBC_MAX_TEXT);
  if (!rc && r->plan)
    rc = plan_check(r->plan);
  if (rc)
    return rc;
  if (r->funds_fen < 0)
    return cbc__error(CBC_EINVAL, "funds are negative");
  if (r->funds_fen > CBC_MAX_AMOUNT_FEN)
    return cbc__error(CBC_EINVAL, "funds exceed CBC_MAX_AMOUNT_FEN");
  if (r->deadline <= h->reported_at)
    return cbc__error(CBC_EINVAL, "the deadline is not after the report");
  if ((rc = cbc__time_check("the deadline", r->deadline)) != 0)
    return rc;
  return r->responsible_id < 0 ? cbc__error(CBC_EINVAL, "invalid responsible id") : 0;
}

static int prep_register(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                         const void *args)
{
  const cbc_hazard_registration *r = args;
  int rc = r ? registration_check(r, h) : cbc__error(CBC_EINVAL, "invalid argument: registration");
  if (!rc)
    rc = resolve_responsible(db, h, r->level, r->responsible_id, &m->responsible_id);
  if (rc)
    return rc;
  m->severity = r->severity;
  m->level = r->level;
  m->measures = r->measures;
  m->funds_fen = r->funds_fen;
  m->deadline = r->deadline;
  m->contingency_plan = r->contingency_plan;
  if (r->plan)
    take_plan(m, r->plan);
  hf->severity = r->severity;
  hf->level = r->level;
  return 0;
}

CBC_EXTERN(int) cbc_hazard_register(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                    const cbc_hazard_registration *registration)
{
  move_spec s = { CBC_ACTION_REGISTER, prep_register, registration, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

static int prep_nothing(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                        const void *args)
{
  (void)db, (void)h, (void)m, (void)hf, (void)args;
  return 0;
}

CBC_EXTERN(int) cbc_hazard_start(cbc_db *db, int64_t hazard_id, int64_t actor_id)
{
  move_spec s = { CBC_ACTION_START, prep_nothing, NULL, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

typedef struct escalate_args {
  const char *reason;
  int64_t responsible_id;
  bool keep_if_unresolved; /* the sweep: keep the person when nobody holds the role */
} escalate_args;

static int prep_escalate(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                         const void *args)
{
  const escalate_args *a = args;
  (void)hf;
  int rc = cbc__hazard_move_ready(h, m->action);
  if (rc)
    return rc;
  rc = required_text("reason", a->reason, CBC_MAX_TEXT);
  m->reason = a->reason;
  m->level = h->level + 1;
  if (!rc && a->responsible_id < 0)
    rc = cbc__error(CBC_EINVAL, "invalid responsible id");
  cbc__error_saved before; /* an unresolved role is no failure for the sweep */
  cbc__error_save(&before);
  if (!rc)
    rc = resolve_responsible(db, h, (cbc_level)m->level, a->responsible_id, &m->responsible_id);
  if (rc == CBC_ENOTFOUND && a->keep_if_unresolved) {
    m->responsible_id = h->responsible_id;
    cbc__error_restore(&before);
    rc = 0;
  }
  return rc;
}

CBC_EXTERN(int) cbc_hazard_escalate(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                    const char *reason, int64_t responsible_id)
{
  escalate_args a = { reason, responsible_id, false };
  move_spec s = { CBC_ACTION_ESCALATE, prep_escalate, &a, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

typedef struct list_args {
  const char *authority, *document;
  int64_t listed_at;
} list_args;

static int prep_list(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                     const void *args)
{
  const list_args *a = args;
  (void)db, (void)hf;
  int rc = cbc__hazard_move_ready(h, m->action);
  if (!rc)
    rc = required_text("authority", a->authority, CBC_MAX_TITLE);
  if (!rc)
    rc = required_text("document", a->document, CBC_MAX_TITLE);
  if (!rc && (a->listed_at < 0 || a->listed_at > m->at))
    rc = cbc__error(CBC_EINVAL, "listed_at is negative or in the future");
  m->authority = a->authority;
  m->document = a->document;
  m->listed_at = a->listed_at ? a->listed_at : m->at;
  return rc;
}

CBC_EXTERN(int) cbc_hazard_list_supervision(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                            const char *authority, const char *document,
                                            int64_t listed_at)
{
  list_args a = { authority, document, listed_at };
  move_spec s = { CBC_ACTION_LIST_SUPERVISION, prep_list, &a, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

typedef struct extension_args {
  int64_t deadline;
  int approve;
  const char *reason;
} extension_args;

static int prep_request(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                        const void *args)
{
  const extension_args *a = args;
  (void)db, (void)hf;
  int rc = cbc__hazard_move_ready(h, m->action);
  if (rc)
    return rc;
  if (a->deadline <= h->deadline)
    return cbc__error(CBC_EINVAL, "the new deadline is not after the current one");
  if ((rc = cbc__time_check("the new deadline", a->deadline)) != 0)
    return rc;
  m->deadline = a->deadline;
  m->reason = a->reason;
  return required_text("reason", a->reason, CBC_MAX_TEXT);
}

CBC_EXTERN(int) cbc_hazard_request_extension(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                             int64_t new_deadline, const char *reason)
{
  extension_args a = { new_deadline, 0, reason };
  move_spec s = { CBC_ACTION_REQUEST_EXTENSION, prep_request, &a, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

static int prep_decide(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                       const void *args)
{
  const extension_args *a = args;
  (void)db, (void)hf;
  if (a->approve != 0 && a->approve != 1) /* a bad argument first, whatever the state */
    return cbc__error(CBC_EINVAL, "approve must be 0 or 1");
  int rc = cbc__hazard_move_ready(h, m->action);
  if (rc)
    return rc;
  m->approve = a->approve;
  m->reason = a->reason;
  return cbc__long_text_check("reason", a->reason, 0, CBC_MAX_TEXT);
}

CBC_EXTERN(int) cbc_hazard_decide_extension(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                            int approve, const char *reason)
{
  extension_args a = { 0, approve, reason };
  move_spec s = { CBC_ACTION_DECIDE_EXTENSION, prep_decide, &a, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

static int prep_file_plan(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                          const void *args)
{
  (void)db, (void)hf;
  int rc = plan_check(args); /* a bad argument is EINVAL whatever the state */
  if (!rc)
    rc = cbc__hazard_move_ready(h, m->action);
  if (!rc)
    take_plan(m, args);
  return rc;
}

CBC_EXTERN(int) cbc_hazard_file_plan(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                     const cbc_rectification_plan *plan)
{
  move_spec s = { CBC_ACTION_FILE_PLAN, prep_file_plan, plan, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

typedef struct note_args {
  const char *note;
  int pass;
} note_args;

static int prep_submit(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                       const void *args)
{
  const note_args *a = args;
  (void)db, (void)hf;
  int rc = cbc__hazard_move_ready(h, m->action);
  if (rc)
    return rc;
  m->note = a->note;
  return required_text("note", a->note, CBC_MAX_TEXT);
}

CBC_EXTERN(int) cbc_hazard_submit(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                  const char *note, const cbc_attachment *evidence,
                                  size_t n_evidence)
{
  note_args a = { note, 0 };
  move_spec s = { CBC_ACTION_SUBMIT, prep_submit, &a, evidence, n_evidence,
                  CBC_STAGE_RECTIFICATION, false };
  return move(db, hazard_id, actor_id, &s);
}

static int prep_verify(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                       const void *args)
{
  const note_args *a = args;
  (void)db, (void)h, (void)hf;
  m->note = a->note;
  return a->pass ? cbc__long_text_check("note", a->note, 0, CBC_MAX_TEXT)
                 : required_text("note", a->note, CBC_MAX_TEXT);
}

CBC_EXTERN(int) cbc_hazard_verify(cbc_db *db, int64_t hazard_id, int64_t actor_id, int pass,
                                  const char *note, const cbc_attachment *evidence,
                                  size_t n_evidence)
{
  if (pass != 0 && pass != 1)
    return cbc__error(CBC_EINVAL, "pass must be 0 or 1");
  note_args a = { note, pass };
  move_spec s = { pass ? CBC_ACTION_VERIFY_PASS : CBC_ACTION_VERIFY_FAIL, prep_verify, &a,
                  evidence, n_evidence, CBC_STAGE_VERIFICATION, false };
  return move(db, hazard_id, actor_id, &s);
}

static int prep_reopen(cbc_db *db, const cbc_hazard *h, cbc__move *m, cbc__hazard_facts *hf,
                       const void *args)
{
  (void)db, (void)h, (void)hf;
  m->reason = args;
  return required_text("reason", args, CBC_MAX_TEXT);
}

CBC_EXTERN(int) cbc_hazard_reopen(cbc_db *db, int64_t hazard_id, int64_t actor_id,
                                  const char *reason)
{
  move_spec s = { CBC_ACTION_REOPEN, prep_reopen, reason, NULL, 0, 0, false };
  return move(db, hazard_id, actor_id, &s);
}

/* ---------------------------------------------------- fixed on the spot */

static int fix_on_spot_in_txn(cbc_db *db, const cbc_hazard_record *r, int64_t now,
                              const char *measures, const cbc_attachment *evidence,
                              size_t n_evidence, int64_t *out_id)
{
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  reg.severity = CBC_SEVERITY_GENERAL;
  reg.level = CBC_LEVEL_INDIVIDUAL;
  reg.measures = measures;
  reg.deadline = now + 1;
  reg.contingency_plan = "fixed on the spot (随手改)";
  note_args note = { measures, 0 };
  move_spec steps[] = {
    { CBC_ACTION_REGISTER, prep_register, &reg, NULL, 0, 0, true },
    { CBC_ACTION_START, prep_nothing, NULL, NULL, 0, 0, false },
    { CBC_ACTION_SUBMIT, prep_submit, &note, evidence, n_evidence, CBC_STAGE_RECTIFICATION,
      false },
  };
  int rc = cbc__hazard_report_in_txn(db, r, now, NULL, out_id);
  for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !rc; i++) {
    const move_args args = { *out_id, r->reporter_id, &steps[i] };
    rc = run_move(db, &args, NULL);
  }
  return rc;
}

/* A fix on the spot's write (a cbc__write_fn, so a deadlock's victim runs
 * again). */
typedef struct fix_args {
  const cbc__request *rq;
  const cbc_hazard_record *report;
  int64_t checked_at; /* the clock when the report was checked */
  const char *measures;
  const cbc_attachment *evidence;
  size_t n_evidence;
} fix_args;

/* The flow, or the retry of a keyed one (lib/request.h): the first id. */
static int fix_on_spot_keyed(cbc_db *db, const void *args, int64_t *out_id)
{
  const fix_args *a = args;
  int64_t at = 0;
  bool replayed = false;
  int rc = cbc__hazard_report_time(db, a->checked_at, &at);
  if (!rc)
    rc = cbc__request_replay_id(db, a->rq, &replayed, out_id);
  if (rc || replayed)
    return rc;
  rc = fix_on_spot_in_txn(db, a->report, at, a->measures, a->evidence, a->n_evidence, out_id);
  return rc ? rc : cbc__request_record(db, a->rq, *out_id, NULL);
}

static void fix_on_spot_request(cbc__request *rq, const cbc_hazard_record *r,
                                const char *measures, const cbc_attachment *evidence,
                                size_t n_evidence)
{
  cbc__hazard_request_args(rq, r);
  cbc__request_text(rq, measures);
  cbc__request_int(rq, (int64_t)n_evidence);
  for (size_t i = 0; i < n_evidence; i++) {
    cbc__request_text(rq, evidence[i].uri);
    cbc__request_text(rq, evidence[i].media_type);
    cbc__request_int(rq, evidence[i].size);
    cbc__request_text(rq, evidence[i].sha256);
  }
  cbc__request_end(rq);
}

CBC_EXTERN(int) cbc_hazard_fix_on_spot(int64_t *out_id, cbc_db *db,
                                       const cbc_hazard_record *report, const char *measures,
                                       const cbc_attachment *evidence, size_t n_evidence)
{
  cbc__request rq;
  CBC__CHECK_ARG(report);
  int rc = cbc__db_check_write(db);
  int64_t now = db ? cbc_db_now(db) : 0, id = 0;
  if (!rc)
    rc = cbc__hazard_record_check(report, now);
  if (!rc && report->reporter_id == 0)
    rc = cbc__error(CBC_EINVAL, "a hazard fixed on the spot has a named reporter");
  if (!rc && report->proposed_severity != CBC_SEVERITY_GENERAL)
    rc = cbc__error(CBC_EINVAL, "only a general hazard is fixed on the spot");
  if (!rc)
    rc = required_text("measures", measures, CBC_MAX_TEXT);
  if (!rc)
    rc = cbc__attachments_check(evidence, n_evidence);
  if (!rc)
    rc = cbc__request_start(&rq, CBC__REQ_FIX_ON_SPOT, CBC__REQUEST_KEY_OF(report, 2));
  if (!rc)
    fix_on_spot_request(&rq, report, measures, evidence, n_evidence);
  fix_args a = { &rq, report, now, measures, evidence, n_evidence };
  if (!rc)
    rc = cbc__db_write_call(db, 0, fix_on_spot_keyed, &a, &id);
  if (!rc && out_id)
    *out_id = id;
  return rc;
}

/* ------------------------------------------------------- overdue sweep */

/* The sweep's move (lib/hazard_sweep.c finds the hazards and holds the
 * transactions): as the system, for being overdue. */
int cbc__hazard_escalate_overdue(cbc_db *db, cbc_hazard *h)
{
  escalate_args a = { "overdue", 0, true };
  move_spec s = { CBC_ACTION_ESCALATE_OVERDUE, prep_escalate, &a, NULL, 0, 0, false };
  return apply_move(db, h, 0, &s);
}
