/* cbc: printing awards, reward decisions and fines as JSON or text. */
#define _POSIX_C_SOURCE 200809L
#include "reward_cli.h"

#include <stdio.h>
#include <string.h>

const char *rw_yuan(int64_t fen, char buf[32])
{
  snprintf(buf, 32, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(fen < 0 ? -fen : fen) / 100,
           (long long)(fen < 0 ? -fen : fen) % 100);
  return buf;
}

int rw_period(cli_ctx *ctx, const char *text, int64_t *from, int64_t *to,
              char canonical[CBC_PERIOD_TEXT_MAX])
{
  cbc_period p;
  *from = *to = 0;
  canonical[0] = '\0';
  if (!text)
    return CLI_OK;
  int rc = cli_period(ctx, text, &p);
  if (rc != CLI_OK)
    return rc;
  if ((rc = cbc_period_bounds(from, to, ctx->db, &p)) == 0)
    rc = cbc_period_format(canonical, CBC_PERIOD_TEXT_MAX, ctx->db, &p);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

int rw_oom(cli_ctx *ctx)
{
  return cli_failf(ctx, CLI_INTERNAL, "out of memory");
}

/* ------------------------------------------------------------------ */
/* Subjects and small values.                                          */

/* Who a decision or an award is about: an employee or a unit; an anonymous
 * tip-off has no one to name (its subject id is the hazard). */
static json_t *subject_json(cli_ctx *ctx, cbc_subject_kind kind, int64_t id)
{
  switch (kind) {
  case CBC_SUBJECT_EMPLOYEE: return cli_json_employee_ref(ctx, id);
  case CBC_SUBJECT_ANONYMOUS: return json_null();
  default: return cli_json_unit_ref(ctx, id);
  }
}

static const char *subject_text(cli_ctx *ctx, cbc_subject_kind kind, int64_t id, char *buf,
                                size_t size)
{
  const char *label = cbc_enum_label(CBC_ENUM_SUBJECT_KIND, kind);
  char who[512];
  if (kind == CBC_SUBJECT_ANONYMOUS)
    snprintf(who, sizeof who, "(隐患 %lld)", (long long)id);
  else if (kind == CBC_SUBJECT_EMPLOYEE)
    act_employee_text(ctx, id, who, sizeof who);
  else
    act_unit_text(ctx, id, who, sizeof who);
  snprintf(buf, size, "%s %s", label ? label : "?", who);
  return buf;
}

static json_t *id_or_null(int64_t id)
{
  return id ? json_integer((json_int_t)id) : json_null();
}

static json_t *text_or_null(const char *s)
{
  return s && s[0] ? json_string(s) : json_null();
}

/* ------------------------------------------------------------------ */
/* Awards.                                                             */

json_t *rw_award_json(cli_ctx *ctx, const cbc_award *a)
{
  json_t *o = json_pack(
    "{s:I,s:o,s:o,s:I,s:o,s:s,s:o,s:o,s:o,s:I,s:I,s:s,s:o}", "id", (json_int_t)a->id, "rule",
    cli_json_enum(CBC_ENUM_REWARD_RULE, a->rule), "subject_kind",
    cli_json_enum(CBC_ENUM_SUBJECT_KIND, a->subject_kind), "subject_id",
    (json_int_t)a->subject_id, "subject", subject_json(ctx, a->subject_kind, a->subject_id),
    "cause", a->cause, "hazard_id", id_or_null(a->hazard_id), "proposal_id",
    id_or_null(a->proposal_id), "unit", cli_json_unit_ref(ctx, a->unit_id), "policy_version",
    (json_int_t)a->policy_version, "amount_fen", (json_int_t)a->amount_fen, "reasons",
    a->reasons, "state", cli_json_enum(CBC_ENUM_AWARD_STATE, a->state));
  json_t *more = json_pack(
    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o}", "proposed_at",
    cli_json_time(ctx, a->proposed_at), "approved_by", cli_json_employee_ref(ctx, a->approved_by),
    "approved_at", cli_json_time(ctx, a->approved_at), "paid_by",
    cli_json_employee_ref(ctx, a->paid_by), "paid_at", cli_json_time(ctx, a->paid_at),
    "payment_ref", text_or_null(a->payment_ref), "declined_by",
    cli_json_employee_ref(ctx, a->declined_by), "declined_at", cli_json_time(ctx, a->declined_at),
    "decline_reason", text_or_null(a->decline_reason), "review", a->review != 0, "flagged_at",
    cli_json_time(ctx, a->flagged_at), "reviewed_by", cli_json_employee_ref(ctx, a->reviewed_by),
    "reviewed_at", cli_json_time(ctx, a->reviewed_at), "review_note",
    text_or_null(a->review_note));
  if (!o || !more || json_object_update(o, more) != 0) {
    json_decref(o);
    o = NULL;
  }
  json_decref(more);
  return o;
}

/* One step of an award's history. */
typedef struct step {
  const char *name;  /* JSON */
  const char *label; /* text */
  int64_t at, by;
  const char *text;  /* payment reference, reason, note, or NULL */
} step;

/* The steps that happened, by time (stable: the order below breaks ties). */
static size_t history(const cbc_award *a, step out[6])
{
  const step all[] = {
    {cbc_enum_name(CBC_ENUM_AWARD_STATE, CBC_AWARD_PROPOSED), "评定提出", a->proposed_at, 0,
     NULL},
    {"flagged", "标记复核", a->flagged_at, 0, NULL},
    {"reviewed", "已复核", a->reviewed_at, a->reviewed_by, a->review_note},
    {cbc_enum_name(CBC_ENUM_AWARD_STATE, CBC_AWARD_APPROVED),
     cbc_enum_label(CBC_ENUM_AWARD_STATE, CBC_AWARD_APPROVED), a->approved_at, a->approved_by,
     NULL},
    {cbc_enum_name(CBC_ENUM_AWARD_STATE, CBC_AWARD_PAID),
     cbc_enum_label(CBC_ENUM_AWARD_STATE, CBC_AWARD_PAID), a->paid_at, a->paid_by,
     a->payment_ref},
    {cbc_enum_name(CBC_ENUM_AWARD_STATE, CBC_AWARD_DECLINED),
     cbc_enum_label(CBC_ENUM_AWARD_STATE, CBC_AWARD_DECLINED), a->declined_at, a->declined_by,
     a->decline_reason},
  };
  size_t n = 0;
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    if (!all[i].at)
      continue;
    size_t j = n++;
    for (; j > 0 && out[j - 1].at > all[i].at; j--)
      out[j] = out[j - 1];
    out[j] = all[i];
  }
  return n;
}

json_t *rw_history_json(cli_ctx *ctx, const cbc_award *a)
{
  step steps[6];
  size_t n = history(a, steps);
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n; i++) {
    json_t *s = json_pack("{s:s,s:o,s:o,s:o}", "action", steps[i].name, "at",
                          cli_json_time(ctx, steps[i].at), "by",
                          cli_json_employee_ref(ctx, steps[i].by), "text",
                          text_or_null(steps[i].text));
    if (!s || json_array_append_new(arr, s) != 0) {
      json_decref(arr);
      arr = NULL;
    }
  }
  return arr;
}

void rw_award_print(cli_ctx *ctx, const cbc_award *a)
{
  char buf[600], money[32];
  act_field_int("奖励编号", (long long)a->id);
  act_field("规则", cbc_enum_label(CBC_ENUM_REWARD_RULE, a->rule));
  act_field("对象", subject_text(ctx, a->subject_kind, a->subject_id, buf, sizeof buf));
  act_field("事由", a->cause);
  act_field_unit(ctx, "计入单位", a->unit_id);
  snprintf(buf, sizeof buf, "%s 元", rw_yuan(a->amount_fen, money));
  act_field("金额", a->amount_fen ? buf : "荣誉 (无奖金)");
  act_field("状态", cbc_enum_label(CBC_ENUM_AWARD_STATE, a->state));
  if (a->review)
    act_field("复核", "待复核 (隐患已重新打开)");
  act_field_int("政策版本", (long long)a->policy_version);
  act_field("理由", a->reasons);
  step steps[6];
  size_t n = history(a, steps);
  printf("\n历史:\n");
  for (size_t i = 0; i < n; i++) {
    char when[40], who[512];
    printf("  %s  %s", act_time_short(ctx, steps[i].at, when), steps[i].label);
    if (steps[i].by)
      printf("  %s", act_employee_text(ctx, steps[i].by, who, sizeof who));
    if (steps[i].text && steps[i].text[0])
      printf("  %s", steps[i].text);
    putchar('\n');
  }
}

const char *const rw_award_headings[] = {"编号", "规则", "对象", "事由", "金额(元)",
                                         "状态", "提出时间", "复核"};

int rw_award_row(cli_ctx *ctx, const cbc_award *a, cli_table *t)
{
  char id[24], who[600], money[32], when[40];
  snprintf(id, sizeof id, "%lld", (long long)a->id);
  const char *cells[] = {id,
                         cbc_enum_label(CBC_ENUM_REWARD_RULE, a->rule),
                         subject_text(ctx, a->subject_kind, a->subject_id, who, sizeof who),
                         a->cause,
                         a->amount_fen ? rw_yuan(a->amount_fen, money) : "荣誉",
                         cbc_enum_label(CBC_ENUM_AWARD_STATE, a->state),
                         act_time_short(ctx, a->proposed_at, when),
                         a->review ? "待复核" : ""};
  return cli_table_row(t, cells);
}

/* ------------------------------------------------------------------ */
/* Decisions.                                                          */

static json_t *decision_json(cli_ctx *ctx, const cbc_reward_decision *d)
{
  return json_pack("{s:o,s:o,s:I,s:o,s:b,s:o,s:o,s:I,s:s,s:o}", "rule",
                   cli_json_enum(CBC_ENUM_REWARD_RULE, d->rule), "subject_kind",
                   cli_json_enum(CBC_ENUM_SUBJECT_KIND, d->subject_kind), "subject_id",
                   (json_int_t)d->subject_id, "subject",
                   subject_json(ctx, d->subject_kind, d->subject_id), "eligible",
                   d->eligible != 0, "hazard_id", id_or_null(d->hazard_id), "proposal_id",
                   id_or_null(d->proposal_id), "amount_fen", (json_int_t)d->amount_fen,
                   "reasons", d->reasons ? d->reasons : "", "award_id",
                   id_or_null(d->award_id));
}

json_t *rw_decisions_json(cli_ctx *ctx, const cbc_reward_decisions *ds)
{
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < ds->count; i++) {
    if (json_array_append_new(arr, decision_json(ctx, &ds->decisions[i])) != 0) {
      json_decref(arr);
      arr = NULL;
    }
  }
  return arr;
}

static const char *const decision_headings[] = {"规则", "对象", "结论", "金额(元)",
                                                "隐患/建议", "奖励编号", "理由"};

static int decision_row(cli_ctx *ctx, const cbc_reward_decision *d, cli_table *t)
{
  char who[600], money[32], what[32], award[24];
  what[0] = award[0] = '\0';
  if (d->hazard_id)
    snprintf(what, sizeof what, "隐患 %lld", (long long)d->hazard_id);
  else if (d->proposal_id)
    snprintf(what, sizeof what, "建议 %lld", (long long)d->proposal_id);
  if (d->award_id)
    snprintf(award, sizeof award, "%lld", (long long)d->award_id);
  const char *cells[] = {cbc_enum_label(CBC_ENUM_REWARD_RULE, d->rule),
                         subject_text(ctx, d->subject_kind, d->subject_id, who, sizeof who),
                         d->eligible ? "符合" : "不符合",
                         d->eligible && d->amount_fen ? rw_yuan(d->amount_fen, money) : "",
                         what, award, d->reasons ? d->reasons : ""};
  return cli_table_row(t, cells);
}

int rw_decisions_print(cli_ctx *ctx, const cbc_reward_decisions *ds)
{
  if (ds->count == 0)
    return CLI_OK;
  cli_table *t = cli_table_new(7, decision_headings);
  for (size_t i = 0; t && i < ds->count; i++) {
    if (decision_row(ctx, &ds->decisions[i], t) != 0) {
      cli_table_free(t);
      t = NULL;
    }
  }
  if (!t)
    return rw_oom(ctx);
  cli_table_print(t, stdout);
  return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Fines.                                                              */

json_t *rw_fine_json(cli_ctx *ctx, const cbc_fine *f)
{
  return json_pack("{s:I,s:o,s:o,s:I,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)f->id,
                   "employee", cli_json_employee_ref(ctx, f->employee_id), "unit",
                   cli_json_unit_ref(ctx, f->unit_id), "amount_fen", (json_int_t)f->amount_fen,
                   "reason", f->reason, "hazard_id", id_or_null(f->hazard_id), "violation",
                   text_or_null(f->violation), "issued_by",
                   cli_json_employee_ref(ctx, f->issued_by), "issued_at",
                   cli_json_time(ctx, f->issued_at));
}

json_t *rw_fines_json(cli_ctx *ctx, const cbc_fine *fines, size_t n)
{
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n; i++) {
    if (json_array_append_new(arr, rw_fine_json(ctx, &fines[i])) != 0) {
      json_decref(arr);
      arr = NULL;
    }
  }
  return arr;
}

static const char *const fine_headings[] = {"编号", "职工", "单位", "金额(元)", "事由",
                                            "针对", "开具人", "时间"};

static int fine_row(cli_ctx *ctx, const cbc_fine *f, cli_table *t)
{
  char id[24], who[512], unit[512], money[32], reason[256], what[256], by[512], when[40];
  snprintf(id, sizeof id, "%lld", (long long)f->id);
  if (f->hazard_id)
    snprintf(what, sizeof what, "隐患 %lld", (long long)f->hazard_id);
  else
    act_excerpt(f->violation, what, sizeof what);
  const char *cells[] = {id,
                         act_employee_text(ctx, f->employee_id, who, sizeof who),
                         act_unit_text(ctx, f->unit_id, unit, sizeof unit),
                         rw_yuan(f->amount_fen, money),
                         act_excerpt(f->reason, reason, sizeof reason),
                         what,
                         act_employee_text(ctx, f->issued_by, by, sizeof by),
                         act_time_short(ctx, f->issued_at, when)};
  return cli_table_row(t, cells);
}

int rw_fines_print(cli_ctx *ctx, const cbc_fine *fines, size_t n)
{
  if (n == 0)
    return CLI_OK;
  cli_table *t = cli_table_new(8, fine_headings);
  for (size_t i = 0; t && i < n; i++) {
    if (fine_row(ctx, &fines[i], t) != 0) {
      cli_table_free(t);
      t = NULL;
    }
  }
  if (!t)
    return rw_oom(ctx);
  cli_table_print(t, stdout);
  return CLI_OK;
}
