/* Rows read back from the file are untrusted (a damaged or hand-edited
 * database): every enum column, flag, count and time is checked before the
 * library indexes, shifts or adds with it.  A bad row is CBC_ECORRUPT with a
 * message naming it, never undefined behaviour. */
#include "store.h"

static bool in(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }

/* An enum that may be 0 ("not set") or one of lo..hi. */
static bool in_or_0(int64_t v, int64_t lo, int64_t hi) { return v == 0 || in(v, lo, hi); }

static bool time_ok(int64_t t) { return in(t, CBC_TIME_MIN, CBC_TIME_MAX); }

static int damaged(const char *what, int64_t id, const char *field)
{
  return cbc__error(CBC_ECORRUPT, "%s %lld: the stored %s is out of range (a damaged database)",
                    what, (long long)id, field);
}

int cbc_store__hazard_row_check(const cbc_hazard *h)
{
  const struct {
    bool ok;
    const char *field;
  } checks[] = {
    { in(h->state, CBC_HAZARD_REPORTED, CBC_HAZARD_REJECTED), "state" },
    { in(h->kind, CBC_HAZARD_HARD, CBC_HAZARD_SOFT), "kind" },
    { in(h->category, CBC_CATEGORY_SAFETY, CBC_CATEGORY_OCCUPATIONAL_HEALTH), "category" },
    { in(h->check_item, CBC_CHECK_RULES, CBC_CHECK_KEY_POINT_CONTROL), "check item" },
    { in(h->source, CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SUPERVISION_VISIT), "source" },
    { in_or_0(h->proposed_severity, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR),
      "proposed severity" },
    { in_or_0(h->severity, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR), "severity" },
    { in_or_0(h->level, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE), "level" },
    { in_or_0(h->resolved_level, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE), "resolved level" },
    { in(h->funds_fen, 0, CBC_MAX_AMOUNT_FEN), "funds" },
    { in(h->has_plan, 0, 1) && in(h->listed, 0, 1) && in(h->extension_pending, 0, 1),
      "flags" },
    { h->reopen_count >= 0, "reopen count" },
    { h->id > 0 && h->unit_id > 0 && h->reporter_id >= 0 && h->enterprise_id >= 0 &&
        h->responsible_id >= 0 && h->duplicate_of >= 0,
      "ids" },
    { time_ok(h->observed_at) && time_ok(h->reported_at) && time_ok(h->original_deadline) &&
        time_ok(h->deadline) && time_ok(h->plan.time_limit) && time_ok(h->listed_at) &&
        time_ok(h->extension_requested_deadline) && time_ok(h->closed_at) &&
        time_ok(h->updated_at),
      "times" },
  };
  for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
    if (!checks[i].ok)
      return damaged("hazard", h->id, checks[i].field);
  return 0;
}

int cbc_store__hazard_event_row_check(const cbc_hazard_event *ev)
{
  if (!in(ev->action, CBC_ACTION_REPORT, CBC_ACTION_AMEND))
    return damaged("hazard event", ev->id, "action");
  if (!in_or_0(ev->from_state, CBC_HAZARD_REPORTED, CBC_HAZARD_REJECTED) ||
      !in(ev->to_state, CBC_HAZARD_REPORTED, CBC_HAZARD_REJECTED))
    return damaged("hazard event", ev->id, "state");
  if (!in_or_0(ev->level, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE))
    return damaged("hazard event", ev->id, "level");
  if (!time_ok(ev->at))
    return damaged("hazard event", ev->id, "time");
  return 0;
}

int cbc_store__award_row_check(const cbc_award *a)
{
  if (!in(a->rule, CBC_RULE_MAJOR_HAZARD, CBC_RULE_ANKANG_CUP))
    return damaged("award", a->id, "rule");
  if (!in(a->subject_kind, CBC_SUBJECT_EMPLOYEE, CBC_SUBJECT_UNIT))
    return damaged("award", a->id, "subject kind");
  if (!in(a->state, CBC_AWARD_PROPOSED, CBC_AWARD_DECLINED))
    return damaged("award", a->id, "state");
  if (!in(a->amount_fen, 0, CBC_MAX_AMOUNT_FEN) || !in(a->review, 0, 1))
    return damaged("award", a->id, "amount");
  const int64_t times[] = { a->proposed_at, a->approved_at, a->paid_at, a->declined_at,
                            a->flagged_at, a->reviewed_at };
  for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
    if (!time_ok(times[i]))
      return damaged("award", a->id, "times");
  return 0;
}

int cbc_store__training_row_check(const cbc_training *t)
{
  if (!in(t->kind, CBC_TRAINING_ALL_STAFF, CBC_TRAINING_WARNING_EDUCATION))
    return damaged("training session", t->id, "kind");
  if (!in(t->minutes, 1, 1440) || !time_ok(t->held_at) || !time_ok(t->recorded_at))
    return damaged("training session", t->id, "length or times");
  return 0;
}

int cbc_store__proposal_row_check(const cbc_proposal *p)
{
  if (!in(p->status, CBC_PROPOSAL_SUBMITTED, CBC_PROPOSAL_NOT_ADOPTED))
    return damaged("proposal", p->id, "status");
  if (!time_ok(p->submitted_at) || !time_ok(p->decided_at))
    return damaged("proposal", p->id, "times");
  return 0;
}
