/* cbc training: record, list, show and void training sessions (教育培训). */
#define _POSIX_C_SOURCE 200809L
#include "activity_cli.h"
#include "commands.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

static const char add_usage[] =
  "usage: cbc training add DB --kind KIND --unit UNIT --minutes N --title TEXT\n"
  "                        (--attendee EMPLOYEE | --failed EMPLOYEE | --attendees-file FILE)...\n"
  "                        [--held TIME] [--key KEY]\n"
  "\n"
  "Record a training session with its attendees; prints the new session's id.\n"
  "Attendees are employees of the holding unit's subtree (union cadres, experts\n"
  "and bureau inspectors may attend any session); a leader class is for unit\n"
  "heads only (docs/activities.md).\n"
  "\n"
  "  --kind KIND            all_staff, enterprise_induction, workshop_induction,\n"
  "                         team_induction, retraining, leader_class,\n"
  "                         special_operation, warning_education (or the Chinese label)\n"
  "  --unit UNIT            the unit (or union node) that held it\n"
  "  --held TIME            when it was held (default now; not in the future)\n"
  "  --minutes N            its length in minutes, 1..1440\n"
  "  --title TEXT           its title\n"
  "  --attendee EMPLOYEE    an attendee who passed; repeatable (64 times at most:\n"
  "                         a larger session comes from --attendees-file)\n"
  "  --failed EMPLOYEE      an attendee who attended without passing; repeatable\n"
  "  --attendees-file FILE  attendees, one employee id a line, optionally followed by\n"
  "                         ',failed' (or ',passed', the default); '-' reads stdin;\n"
  "                         blank lines and lines starting with '#' are skipped\n"
  "  --key KEY              a request key: running the same add again with it\n"
  "                         records nothing twice (a different session: conflict)\n";

static int training_fill(cli_ctx *ctx, cbc_training_record *rec, const char *kind,
                         const char *unit, const char *held, const char *minutes)
{
  int v;
  int64_t n;
  int rc = cli_enum(ctx, CBC_ENUM_TRAINING_KIND, kind, &v);
  if (rc == CLI_OK) {
    rec->kind = (cbc_training_kind)v;
    rc = cli_unit(ctx, unit, &rec->unit_id);
  }
  if (rc == CLI_OK)
    rc = cli_time(ctx, held ? held : "now", 0, &rec->held_at);
  if (rc == CLI_OK && (rc = cli_int(ctx, "--minutes", minutes, INT_MIN, INT_MAX, &n)) == CLI_OK)
    rec->minutes = (int)n;
  return rc;
}

static int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
  const char *db, *kind = NULL, *unit = NULL, *held = NULL, *minutes = NULL, *file = NULL;
  cli_list passed = {{0}, 0}, failed = {{0}, 0};
  cbc_training_record rec = CBC_TRAINING_RECORD_INIT;
  cli_opt opts[] = {
    {"--kind", CLI_STRING, &kind}, {"--unit", CLI_STRING, &unit},
    {"--held", CLI_STRING, &held}, {"--minutes", CLI_STRING, &minutes},
    {"--title", CLI_STRING, &rec.title}, {"--attendee", CLI_LIST, &passed},
    {"--failed", CLI_LIST, &failed}, {"--attendees-file", CLI_STRING, &file},
    {"--key", CLI_STRING, &rec.request_key}, ACT_OPTS_END};
  int rc = act_parse_db(ctx, add_usage, opts, argc, argv, &db);
  if (rc != CLI_OK)
    return rc;
  if (!kind || !unit || !minutes || !rec.title)
    return cli_usage_error(ctx, "--kind, --unit, --minutes and --title are required");
  if ((rc = cli_open(ctx, db, 0)) != CLI_OK ||
      (rc = training_fill(ctx, &rec, kind, unit, held, minutes)) != CLI_OK)
    return rc;
  act_ids people;
  if ((rc = act_read_attendees(ctx, &passed, &failed, file, &people)) != CLI_OK)
    return rc;
  cbc_attendee *attendees = calloc(people.count ? people.count : 1, sizeof *attendees);
  for (size_t i = 0; attendees && i < people.count; i++)
    attendees[i] = (cbc_attendee){people.ids[i], people.passed[i]};
  rec.attendees = attendees;
  rec.n_attendees = people.count;
  int64_t id = 0;
  rc = attendees ? act_added(ctx, cbc_training_add(&id, ctx->db, &rec), &id)
                 : cli_failf(ctx, CLI_INTERNAL, "out of memory");
  free(attendees);
  act_ids_free(&people);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Printing.                                                           */

static size_t passed_count(const cbc_training *t)
{
  size_t n = 0;
  for (size_t i = 0; i < t->n_attendees; i++)
    n += t->attendees[i].passed != 0;
  return n;
}

/* A session as JSON, as listings give it (without its attendees: a session
 * may have thousands; 'show' adds them). */
static json_t *training_json(cli_ctx *ctx, const cbc_training *t)
{
  json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:i,s:s,s:o}", "id", (json_int_t)t->id, "kind",
                        cli_json_enum(CBC_ENUM_TRAINING_KIND, t->kind), "unit",
                        cli_json_unit_ref(ctx, t->unit_id), "held_at",
                        cli_json_time(ctx, t->held_at), "minutes", t->minutes, "title",
                        t->title, "recorded_at", cli_json_time(ctx, t->recorded_at));
  act_json_voided(ctx, o, t->voided_at, t->voided_by, t->void_reason);
  return o;
}

static json_t *training_json_full(cli_ctx *ctx, const cbc_training *t)
{
  json_t *o = training_json(ctx, t), *list = json_array();
  for (size_t i = 0; list && i < t->n_attendees; i++)
    json_array_append_new(list, json_pack("{s:o,s:b}", "employee",
                                          cli_json_employee_ref(ctx, t->attendees[i].employee_id),
                                          "passed", t->attendees[i].passed));
  json_object_set_new(o, "attendee_count", json_integer((json_int_t)t->n_attendees));
  json_object_set_new(o, "passed_count", json_integer((json_int_t)passed_count(t)));
  json_object_set_new(o, "attendees", list ? list : json_null());
  return o;
}

static void print_attendees(cli_ctx *ctx, const cbc_training *t)
{
  static const char *const head[] = {"工号", "姓名", "考核"};
  cli_table *tab = cli_table_new(3, head);
  for (size_t i = 0; tab && i < t->n_attendees; i++) {
    cbc_employee *e = NULL;
    cbc_employee_lookup(&e, ctx->db, t->attendees[i].employee_id);
    const char *row[] = {e ? e->external_id : "?", e ? e->name : "?",
                         t->attendees[i].passed ? "合格" : "不合格"};
    cli_table_row(tab, row);
    cbc_employee_free(e);
  }
  if (tab)
    cli_table_print(tab, stdout);
}

static void print_training_text(cli_ctx *ctx, const cbc_training *t)
{
  char buf[64];
  act_field_int("编号", (long long)t->id);
  act_field("类型", cbc_enum_label(CBC_ENUM_TRAINING_KIND, t->kind));
  act_field_unit(ctx, "举办单位", t->unit_id);
  act_field_time(ctx, "时间", t->held_at);
  snprintf(buf, sizeof buf, "%d 分钟", t->minutes);
  act_field("时长", buf);
  act_field("标题", t->title);
  act_field_time(ctx, "记录时间", t->recorded_at);
  snprintf(buf, sizeof buf, "%zu（合格 %zu）", t->n_attendees, passed_count(t));
  act_field("参训人数", buf);
  act_field_voided(ctx, t->voided_at, t->voided_by, t->void_reason);
  putchar('\n');
  print_attendees(ctx, t);
}

ACT_PRINTER(training, cbc_training, cbc_training_lookup, cbc_training_free,
            training_json_full, print_training_text)

static const char show_usage[] =
  "usage: cbc training show DB ID [--json]\n"
  "\n"
  "Show one training session with its attendees and whether each passed.\n";

static int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
  return act_show(ctx, training_print, show_usage, argc, argv);
}

/* ------------------------------------------------------------------ */
/* Listing and voiding.                                                */

static int training_row_cells(cli_ctx *ctx, const void *row, cli_table *t)
{
  const cbc_training *s = row;
  char id[24], unit[512], when[40], minutes[16], title[256];
  snprintf(id, sizeof id, "%lld", (long long)s->id);
  snprintf(minutes, sizeof minutes, "%d", s->minutes);
  const char *cells[] = {id, cbc_enum_label(CBC_ENUM_TRAINING_KIND, s->kind),
                         act_unit_text(ctx, s->unit_id, unit, sizeof unit),
                         act_time_short(ctx, s->held_at, when), minutes,
                         act_excerpt(s->title, title, sizeof title),
                         act_voided_cell(s->voided_at)};
  return cli_table_row(t, cells);
}

ACT_ITER_ADAPTERS(training, cbc_training_iter, cbc_training, cbc_training_iter_new,
                  cbc_training_iter_next, cbc_training_iter_free, training_json)

static const char *const training_headings[] = {"编号", "培训类型", "举办单位", "时间",
                                                "时长(分钟)", "标题", "作废"};

static const act_kind training_kind = {
  CBC_ACTIVITY_TRAINING, "training", "trainings", 7, training_headings,
  training_iter_new, training_iter_next, training_iter_free,
  training_row_json, training_row_cells, training_print};

static const char list_usage[] =
  "usage: cbc training list DB [--unit UNIT] [--period PERIOD] [--with-voided] [--json]\n"
  "\n"
  "List training sessions by the time they were held: those held by the unit\n"
  "or any unit under it, in the period.  'cbc training show' gives a session's\n"
  "attendees.\n"
  "\n"
  ACT_LIST_OPTIONS_HELP("trainings");

static int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
  return act_list(ctx, &training_kind, list_usage, argc, argv);
}

static const char void_usage[] =
  "usage: cbc training void DB ID --reason TEXT --as EMPLOYEE [--json]\n"
  "\n"
  "Void a training session recorded in error: it is kept, marked with when, by\n"
  "whom and why, and no longer counts (statistics, taking part, compliance).\n"
  "A union cadre over its unit may void it, or someone with authority over the\n"
  "unit (its team leader, workshop director, the enterprise's principal or a\n"
  "safety officer).  --json prints the session as it now is.\n"
  "\n"
  ACT_VOID_OPTIONS_HELP;

static int cmd_void(cli_ctx *ctx, int argc, char **argv)
{
  return act_void(ctx, &training_kind, void_usage, argc, argv);
}

static const cli_command training_commands[] = {
  {"add", cmd_add, "record a training session with its attendees"},
  {"list", cmd_list, "list sessions by unit and period"},
  {"show", cmd_show, "show one session and its attendees"},
  {"void", cmd_void, "void a session recorded in error"},
  {NULL, NULL, NULL}
};

int cmd_training(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "training",
                      "Training sessions (教育培训): record them with their attendees, list them\n"
                      "by unit and period, void a wrong record.",
                      training_commands, argc, argv);
}
