/* The collective rules (docs/rewards.md): Worker Pioneer for teams and
 * workshops, Ankang Cup eligibility for enterprises.  Each criterion is a
 * figure compared with the policy's threshold; the decision lists them all,
 * met or not. */
#include "reward_internal.h"
#include "filing_internal.h"
#include "calendar.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The reasons being written, and whether every criterion so far is met. */
typedef struct verdict {
  char text[600];
  size_t len;
  bool met;
} verdict;

static void say(verdict *v, const char *fmt, ...) CBC__PRINTF(2, 3);
static void say(verdict *v, const char *fmt, ...)
{
  va_list ap;
  if (v->len && v->len + 2 < sizeof(v->text)) {
    memcpy(v->text + v->len, "; ", 3);
    v->len += 2;
  }
  va_start(ap, fmt);
  int n = vsnprintf(v->text + v->len, sizeof(v->text) - v->len, fmt, ap);
  va_end(ap);
  if (n > 0)
    v->len = v->len + (size_t)n < sizeof(v->text) ? v->len + (size_t)n : sizeof(v->text) - 1;
}

static void at_least(verdict *v, const char *what, int64_t value, int64_t need)
{
  v->met = v->met && value >= need;
  say(v, "%s %" PRId64 " %s %" PRId64, what, value, value >= need ? ">=" : "<", need);
}

static void at_most(verdict *v, const char *what, int64_t value, int64_t limit)
{
  v->met = v->met && value <= limit;
  say(v, "%s %" PRId64 " %s %" PRId64, what, value, value <= limit ? "<=" : ">", limit);
}

/* part / whole as a percentage against @p need; @p empty says what an
 * empty whole means (NULL: the criterion is not met). */
static void rate(verdict *v, const char *what, int64_t part, int64_t whole, double need,
                 const char *empty, bool empty_met)
{
  if (whole == 0) {
    v->met = v->met && empty_met;
    say(v, "%s: %s", what, empty);
    return;
  }
  bool ok = (double)part * 100.0 >= need * (double)whole;
  double shown = (double)(part * 1000 / whole) / 10.0; /* truncated: never rounds up to pass */
  char shown_text[32], need_text[32]; /* not printf's %f: it follows the locale */
  cbc__decimal(shown_text, sizeof(shown_text), shown, 1, false);
  cbc__decimal(need_text, sizeof(need_text), need, 4, true);
  v->met = v->met && ok;
  say(v, "%s %s%% %s %s%% (%" PRId64 "/%" PRId64 ")", what, shown_text, ok ? ">=" : "<",
      need_text, part, whole);
}

static int decide(cbc_db *db, cbc__decisions *ds, cbc_reward_rule rule, cbc_subject_kind kind,
                  int64_t unit_id, const verdict *v)
{
  cbc_reward_decision d = { 0 };
  d.rule = rule;
  d.subject_kind = kind;
  d.subject_id = unit_id;
  d.eligible = v->met;
  return cbc__decision_add(db, ds, &d, ds->cause, unit_id, v->text);
}

/* ------------------------------------------------------- Worker Pioneer */

static int pioneer(cbc_db *db, cbc__decisions *ds, int64_t unit_id, cbc_subject_kind kind,
                   const cbc_store_metrics *metrics)
{
  const cbc_store_metrics m = *metrics;
  const cbc__policy *p = ds->policy;
  verdict v = { .met = true };
  at_least(&v, "hazards closed", m.closed, p->pioneer_closed);
  rate(&v, "on-time rate", m.closed_on_time, m.closed, p->pioneer_on_time, "no hazards closed",
       true);
  rate(&v, "training coverage", m.trained, m.members, p->pioneer_training,
       "no members on the payroll", false);
  rate(&v, "drill coverage", m.teams_drilled, m.teams, p->pioneer_drill, "no teams", false);
  at_most(&v, "overdue major hazards at the end", m.overdue_major, p->pioneer_overdue_major);
  return decide(db, ds, CBC_RULE_WORKER_PIONEER, kind, unit_id, &v);
}

/* ----------------------------------------------------------- Ankang Cup */

/* Months of [from, min(to, now)) in which the enterprise ran no campaign
 * activity, as the statistics count it (the form's units_ran). */
static int months_without_data(cbc_db *db, int64_t unit_id, int64_t from, int64_t to,
                               int64_t *out)
{
  int offset = cbc_db_utc_offset(db), y, mo, d;
  int64_t end = to < cbc_db_now(db) ? to : cbc_db_now(db);
  int rc = 0;
  *out = 0;
  cbc__local_date(from, offset, &y, &mo, &d);
  for (int64_t start = cbc__local_midnight(y, mo, 1, offset); start < end && !rc;) {
    int64_t next = mo == 12 ? cbc__local_midnight(y + 1, 1, 1, offset)
                            : cbc__local_midnight(y, mo + 1, 1, offset);
    cbc_period p = { CBC_PERIOD_RANGE, 0, 0, start > from ? start : from, next < to ? next : to };
    cbc_stats_form *f = NULL;
    rc = cbc_stats_form_get(&f, db, unit_id, &p, 0);
    if (!rc && f->units_ran == 0)
      (*out)++;
    cbc_stats_form_free(f);
    start = next;
    y += mo == 12;
    mo = mo % 12 + 1;
  }
  return rc;
}

/* Months of [from, to) whose monthly form was due by now and not filed on
 * time by the enterprise (missing, or its first version late). */
static int months_not_filed_on_time(cbc_db *db, int64_t unit_id, int64_t from, int64_t to,
                                    int64_t *out)
{
  int offset = cbc_db_utc_offset(db), y, mo, d;
  int rc = 0;
  *out = 0;
  cbc__local_date(from, offset, &y, &mo, &d);
  for (int64_t start = cbc__local_midnight(y, mo, 1, offset); start < to && !rc;) {
    cbc_period month = { CBC_PERIOD_MONTH, y, mo, 0, 0 };
    cbc_filing_state state;
    rc = cbc__filing_state(db, unit_id, CBC_FILING_MONTHLY_FORM, &month, &state);
    *out += !rc && (state == CBC_FILING_LATE || state == CBC_FILING_MISSING);
    y += mo == 12;
    mo = mo % 12 + 1;
    start = cbc__local_midnight(y, mo, 1, offset);
  }
  return rc;
}

/* The months criterion: campaign data in the statistics, or, with the
 * policy's reports_from_filings, monthly forms filed on time. */
static int months_criterion(cbc_db *db, verdict *v, const cbc__policy *p, int64_t unit_id,
                            int64_t from, int64_t to)
{
  int64_t months = 0;
  int rc = p->cup_from_filings ? months_not_filed_on_time(db, unit_id, from, to, &months)
                               : months_without_data(db, unit_id, from, to, &months);
  if (!rc && p->cup_from_filings)
    at_most(v, "monthly forms not filed on time", months, p->cup_months_not_filed);
  else if (!rc)
    at_most(v, "months without campaign data", months, p->cup_months_without_data);
  return rc;
}

static int ankang(cbc_db *db, cbc__decisions *ds, int64_t unit_id, const cbc_store_metrics *metrics,
                  int64_t from, int64_t to)
{
  const cbc_store_metrics m = *metrics;
  const cbc__policy *p = ds->policy;
  verdict v = { .met = true };
  rate(&v, "training coverage", m.trained, m.members, p->cup_training,
       "no employees on the payroll", false);
  at_least(&v, "drills", m.drills, p->cup_drills);
  rate(&v, "teams in enough drills", m.teams_drilled, m.teams, p->cup_drill_teams, "no teams",
       true);
  rate(&v, "disposal rate", m.disposed, m.reported, p->cup_disposal, "no hazards reported",
       true);
  int rc = months_criterion(db, &v, p, unit_id, from, to);
  return rc ? rc : decide(db, ds, CBC_RULE_ANKANG_CUP, CBC_SUBJECT_UNIT, unit_id, &v);
}

/* ----------------------------------------------------------------- all */

/* The figures of unit @p i's subtree: its units' own figures summed, its
 * open teams, and of them those in at least @p min_drills drills. */
static void subtree_metrics(const cbc_store_unit_figures *u, size_t i, int64_t min_drills,
                            cbc_store_metrics *m)
{
  memset(m, 0, sizeof(*m));
  for (size_t j = i; j < u[i].end; j++) {
    const cbc_store_metrics *own = &u[j].own;
    m->members += own->members;
    m->trained += own->trained;
    m->drills += own->drills;
    m->closed += own->closed;
    m->closed_on_time += own->closed_on_time;
    m->overdue_major += own->overdue_major;
    m->reported += own->reported;
    m->disposed += own->disposed;
    if (u[j].kind == CBC_UNIT_TEAM && u[j].open) {
      m->teams++;
      m->teams_drilled += u[j].team_drills >= min_drills;
    }
  }
}

/* The decision of unit @p i, when a rule applies to it. */
static int unit_decision(cbc_db *db, cbc__decisions *ds, const cbc_store_unit_figures *u,
                         size_t i, int64_t from, int64_t to)
{
  const cbc__policy *p = ds->policy;
  cbc_store_metrics m;
  if (!u[i].open)
    return 0;
  if (u[i].kind == CBC_UNIT_ENTERPRISE && p->cup_on) {
    subtree_metrics(u, i, p->cup_drills, &m);
    return ankang(db, ds, u[i].id, &m, from, to);
  }
  if ((u[i].kind == CBC_UNIT_TEAM || u[i].kind == CBC_UNIT_WORKSHOP) && p->pioneer_on) {
    subtree_metrics(u, i, 1, &m);
    return pioneer(db, ds, u[i].id,
                   u[i].kind == CBC_UNIT_TEAM ? CBC_SUBJECT_TEAM : CBC_SUBJECT_WORKSHOP, &m);
  }
  return 0;
}

int cbc__reward_collective(cbc_db *db, cbc__decisions *ds, int64_t unit_id, int64_t from,
                           int64_t to)
{
  char lo[CBC_STORE_PATH_MAX], hi[CBC_STORE_PATH_MAX];
  cbc_store_unit_figures *units = NULL;
  size_t n = 0;
  int rc = 0;
  if (!ds->policy->pioneer_on && !ds->policy->cup_on)
    return 0;
  rc = cbc_store__unit_range(db->store, unit_id, lo, hi, sizeof(lo));
  if (!rc)
    rc = cbc_store__unit_figures(db->store, lo, hi, from, to, &units, &n);
  for (size_t i = 0; i < n && !rc; i++)
    rc = unit_decision(db, ds, units, i, from, to);
  cbc__free(units);
  return rc;
}
