/* cbc filing: file the monthly form or the hazard table for a period, or the
 * report of a major hazard, as an unchangeable snapshot, read a version back
 * as it was filed, see who under a node has filed, and a report's due date
 * (docs/filing.md).  Every rule (who may file and sign, the periods, the
 * hazards, the due dates) is the library's. */
#define _POSIX_C_SOURCE 200809L
#include "activity_cli.h"
#include "commands.h"
#include "form.h"
#include "xlsx.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILING_OPTS_END {NULL, CLI_FLAG, NULL}

/* What a command names: a report (KIND), a unit and a period. */
typedef struct filing_target {
  int kind;
  int64_t unit;
  cbc_period period;
} filing_target;

/* KIND, then the database, then UNIT (unless NULL) and PERIOD. */
static int open_target(cli_ctx *ctx, const char *db, const char *kind, const char *unit,
                       const char *period, filing_target *t)
{
  int rc = cli_enum(ctx, CBC_ENUM_FILING_KIND, kind, &t->kind);
  if (rc == CLI_OK)
    rc = cli_open(ctx, db, 0);
  if (rc == CLI_OK && unit)
    rc = cli_unit(ctx, unit, &t->unit);
  if (rc == CLI_OK)
    rc = cli_period(ctx, period, &t->period);
  return rc;
}

/* Is KIND the major-hazard report, which names a hazard instead of a unit
 * and a period?  (Any other text is left to open_target to judge.) */
static int for_a_hazard(const char *kind)
{
  int k = 0;
  return cbc_enum_parse(&k, CBC_ENUM_FILING_KIND, kind) == 0 &&
         k == CBC_FILING_MAJOR_HAZARD_REPORT;
}

/* A due date as its day ("2026-04-15"): it is the day's last second. */
static const char *due_day(cli_ctx *ctx, int64_t t, char buf[40])
{
  cli_time_iso(ctx, t, buf);
  buf[10] = '\0';
  return buf;
}

static const char *kind_label(int kind)
{
  const char *l = cbc_enum_label(CBC_ENUM_FILING_KIND, kind);
  return l ? l : "?";
}

static const char *state_label(int state)
{
  const char *l = cbc_enum_label(CBC_ENUM_FILING_STATE, state);
  return l ? l : "?";
}

static const char *kind_name(int kind)
{
  const char *n = cbc_filing_kind_name((cbc_filing_kind)kind);
  return n ? n : "?";
}

/* A filing's period as JSON; null for a report filed for no period. */
static json_t *period_json(cli_ctx *ctx, const cbc_period *p)
{
  return p->kind ? form_period_json(ctx, p) : json_null();
}

/* A period's text; "-" for none. */
static const char *period_text(cli_ctx *ctx, const cbc_period *p, char buf[CBC_PERIOD_TEXT_MAX])
{
  if (!p->kind || cbc_period_format(buf, CBC_PERIOD_TEXT_MAX, ctx->db, p) != 0)
    snprintf(buf, CBC_PERIOD_TEXT_MAX, "-");
  return buf;
}

static json_t *note_json(const char *note)
{
  return note && note[0] ? json_string(note) : json_null();
}

/* A filing's metadata (no renderings); NULL when out of memory.  A report
 * filed for a hazard (the major-hazard report) also has "hazard_id". */
static json_t *filing_json(cli_ctx *ctx, const cbc_filing *f)
{
  char day[40];
  json_t *hazard = f->hazard_id ? json_integer((json_int_t)f->hazard_id) : NULL;
  if (f->hazard_id && !hazard)
    return NULL;
  return json_pack("{s:I,s:o,s:o,s:o,s:o*,s:i,s:o,s:o,s:o,s:o,s:s,s:b,s:o}", "id",
                   (json_int_t)f->id, "kind", cli_json_enum(CBC_ENUM_FILING_KIND, f->kind),
                   "unit", cli_json_unit_ref(ctx, f->unit_id), "period",
                   period_json(ctx, &f->period), "hazard_id", hazard, "version", f->version,
                   "filed_by",
                   cli_json_employee_ref(ctx, f->filed_by), "signed_by",
                   cli_json_employee_ref(ctx, f->signed_by), "filed_at",
                   cli_json_time(ctx, f->filed_at), "due_at", cli_json_time(ctx, f->due_at),
                   "due_date", due_day(ctx, f->due_at, day), "late", f->late, "note",
                   note_json(f->note));
}

/* ------------------------------------------------------------------ */
/* submit                                                              */

static const char submit_usage[] =
  "usage: cbc filing submit DB KIND UNIT PERIOD --as EMPLOYEE --signed-by EMPLOYEE\n"
  "                         [--note TEXT] [--json]\n"
  "\n"
  "File a report of UNIT for PERIOD: the library renders it from the records\n"
  "now and keeps the renderings (text, CSV, JSON), unchangeable, with who\n"
  "filed, who signed, when, the due date and whether it came late.  Filing\n"
  "again adds a version; every version is kept.  KIND (or its Chinese label):\n"
  "  monthly_form   the 查保促 monthly form of an open enterprise or region node,\n"
  "                 for a month (2026-11): filed by a union cadre of the unit,\n"
  "                 signed by a union cadre (the union's head; may be the same)\n"
  "  hazard_table   the hazard statistics table of an open enterprise, for a\n"
  "                 quarter (2026-Q4) or a year (2026): filed by a safety officer\n"
  "                 or a principal of the enterprise, signed by a principal\n"
  "The period must have begun.  Prints one line: the filing's id, version, due\n"
  "date, and whether it came late.  The report of a major hazard is filed for\n"
  "the hazard, not a period: 'cbc filing report-major'.\n"
  "\n"
  "  --as EMPLOYEE          who files it\n"
  "  --signed-by EMPLOYEE   who signs it\n"
  "  --note TEXT            a note kept with the filing\n"
  "  --json                 the filing: {\"id\", \"kind\", \"unit\", \"period\", \"version\",\n"
  "                         \"filed_by\", \"signed_by\", \"filed_at\", \"due_at\",\n"
  "                         \"due_date\", \"late\", \"note\"}\n";

static int print_submitted(cli_ctx *ctx, int64_t id)
{
  cbc_filing *f = NULL;
  char unit[128], period[CBC_PERIOD_TEXT_MAX], day[40];
  int rc = cbc_filing_lookup(&f, ctx->db, id);
  if (rc != 0)
    return cli_fail(ctx, rc);
  if (ctx->json) {
    rc = cli_print_json(filing_json(ctx, f));
  } else {
    const char *ext = cli_unit_ext(ctx, f->unit_id, unit, sizeof unit);
    if (f->hazard_id)
      snprintf(period, sizeof period, "hazard %lld", (long long)f->hazard_id);
    else
      period_text(ctx, &f->period, period);
    printf("filing %lld: %s of %s for %s, version %d, due %s, %s\n", (long long)f->id,
           kind_name(f->kind), ext ? ext : "?", period, f->version,
           due_day(ctx, f->due_at, day), f->late ? "late" : "on time");
  }
  cbc_filing_free(f);
  return rc;
}

static int cmd_submit(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[4], *signer = NULL;
  cbc_filing_record rec = CBC_FILING_RECORD_INIT;
  filing_target t;
  int64_t actor = 0, id = 0;
  cli_opt opts[] = {{"--as", CLI_STRING, &ctx->as}, {"--signed-by", CLI_STRING, &signer},
                    {"--note", CLI_STRING, &rec.note}, FILING_OPTS_END};
  int rc = cli_parse(ctx, submit_usage, opts, argc, argv, pos, 2, 4);
  if (rc != CLI_OK)
    return rc;
  if (for_a_hazard(pos[1]))
    return cli_usage_error(ctx, "the major-hazard report is filed for a hazard, not a period: "
                                "cbc filing report-major DB HAZARD");
  if (!pos[3])
    return cli_usage_error(ctx, "missing arguments");
  if (!ctx->as || !signer)
    return cli_usage_error(ctx, "--as and --signed-by are required: who files, who signs");
  if ((rc = open_target(ctx, pos[0], pos[1], pos[2], pos[3], &t)) != CLI_OK ||
      (rc = cli_actor(ctx, &actor)) != CLI_OK ||
      (rc = cli_employee(ctx, signer, &rec.signed_by)) != CLI_OK)
    return rc;
  rec.kind = (cbc_filing_kind)t.kind;
  rec.unit_id = t.unit;
  rec.period = t.period;
  if ((rc = cbc_filing_submit(&id, ctx->db, actor, &rec)) != 0)
    return cli_fail(ctx, rc);
  return print_submitted(ctx, id);
}

/* ------------------------------------------------------------------ */
/* report-major                                                        */

static const char report_major_usage[] =
  "usage: cbc filing report-major DB HAZARD --as EMPLOYEE --signed-by EMPLOYEE\n"
  "                               --cause TEXT --harm TEXT --difficulty TEXT\n"
  "                               [--note TEXT] [--json]\n"
  "\n"
  "File the prompt report of the registered major hazard HAZARD (重大事故隐患报告):\n"
  "its enterprise files it, with no period.  The library writes the hazard's\n"
  "state and its rectification plan from the ledger as they are now, and\n"
  "takes the three texts only the enterprise knows.  Filed by a safety\n"
  "officer or a principal of the enterprise, signed by a principal; due the\n"
  "policy's major_hazard_report_days (by default 1) days after the day the\n"
  "hazard was reported.  Filing again adds a version.  Prints one line: the\n"
  "filing's id, version, due date, and whether it came late.\n"
  "\n"
  "  --as EMPLOYEE          who files it\n"
  "  --signed-by EMPLOYEE   who signs it\n"
  "  --cause TEXT           how the hazard came about (产生原因)\n"
  "  --harm TEXT            the harm it can do (危害程度)\n"
  "  --difficulty TEXT      how hard it is to rectify (整改难易程度)\n"
  "  --note TEXT            a note kept with the filing\n"
  "  --json                 the filing, as 'cbc filing submit --json' gives it\n"
  "                         (\"period\" null) with \"hazard_id\"\n";

static int cmd_report_major(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[2], *signer = NULL;
  cbc_filing_record rec = CBC_FILING_RECORD_INIT;
  cbc_hazard *h = NULL;
  int64_t actor = 0, id = 0;
  cli_opt opts[] = {{"--as", CLI_STRING, &ctx->as}, {"--signed-by", CLI_STRING, &signer},
                    {"--cause", CLI_STRING, &rec.cause}, {"--harm", CLI_STRING, &rec.harm},
                    {"--difficulty", CLI_STRING, &rec.difficulty},
                    {"--note", CLI_STRING, &rec.note}, FILING_OPTS_END};
  int rc = cli_parse(ctx, report_major_usage, opts, argc, argv, pos, 2, 2);
  if (rc != CLI_OK)
    return rc;
  if (!ctx->as || !signer)
    return cli_usage_error(ctx, "--as and --signed-by are required: who files, who signs");
  if (!rec.cause || !rec.harm || !rec.difficulty)
    return cli_usage_error(ctx, "--cause, --harm and --difficulty are required: the report's "
                                "cause and analysis");
  if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
      (rc = cli_int(ctx, "HAZARD", pos[1], 1, INT64_MAX, &rec.hazard_id)) != CLI_OK ||
      (rc = cli_actor(ctx, &actor)) != CLI_OK ||
      (rc = cli_employee(ctx, signer, &rec.signed_by)) != CLI_OK)
    return rc;
  if ((rc = cbc_hazard_lookup(&h, ctx->db, rec.hazard_id)) != 0)
    return cli_fail(ctx, rc);
  rec.kind = CBC_FILING_MAJOR_HAZARD_REPORT;
  rec.unit_id = h->enterprise_id; /* the hazard's enterprise files it */
  cbc_hazard_free(h);
  if ((rc = cbc_filing_submit(&id, ctx->db, actor, &rec)) != 0)
    return cli_fail(ctx, rc);
  return print_submitted(ctx, id);
}

/* ------------------------------------------------------------------ */
/* show                                                                */

static const char show_usage[] =
  "usage: cbc filing show DB KIND UNIT PERIOD [--version N]\n"
  "                       [--format text|csv|json|xlsx] [--output FILE]\n"
  "       cbc filing show DB --hazard HAZARD [--version N]\n"
  "                       [--format text|csv|json|xlsx] [--output FILE]\n"
  "       cbc filing show DB --id FILING [--format text|csv|json|xlsx]\n"
  "                       [--output FILE]\n"
  "\n"
  "A filed report exactly as it was filed: the newest version of what UNIT\n"
  "filed for PERIOD (or version N), of the report of the major hazard HAZARD,\n"
  "or the filing FILING.  Text starts with a block of who filed, who signed,\n"
  "when, the due date, the version, on time or late, and the note (when there\n"
  "is one), then the report's text as filed; csv is the CSV as filed, nothing\n"
  "added.  A major hazard's report shows its hazard (隐患编号) where the others\n"
  "show their period.\n"
  "\n"
  "  --version N       1 for the first version; 0 (the default) for the newest\n"
  "  --hazard HAZARD   the report of a major hazard (instead of KIND UNIT PERIOD)\n"
  "  --id FILING       a filing by its id (instead of KIND UNIT PERIOD)\n"
  "  --format FORMAT   text (the default), csv, json (the same as --json:\n"
  "                    the filing's fields as 'cbc filing submit --json' gives\n"
  "                    them, and the report as filed under \"report\"; a major\n"
  "                    hazard's report has \"hazard_id\") or xlsx (a workbook\n"
  "                    made from the report's JSON as filed: the block, then\n"
  "                    the report; to a file, or to stdout when it is not a\n"
  "                    terminal)\n"
  "  --output FILE     write to FILE instead of stdout ('-': stdout): a new file,\n"
  "                    or one that replaces FILE whole once complete (never a\n"
  "                    partial file; nothing is written when the command fails)\n";

enum show_format { SHOW_TEXT, SHOW_CSV, SHOW_JSON, SHOW_XLSX };

/* "label:" padded so the values line up (display width). */
static void field(FILE *out, const char *label, const char *value)
{
  size_t w = cli_display_width(label) + 1;
  fprintf(out, "%s:%*s%s\n", label, (int)(w < 11 ? 12 - w : 1), "", value ? value : "");
}

static void put(filing_head *h, const char *label, const char *value)
{
  h->label[h->n] = label;
  h->value[h->n++] = value ? value : "";
}

/* The next field's buffer. */
static char *slot(filing_head *h)
{
  return h->buf[h->n];
}

static void put_int(filing_head *h, const char *label, long long v)
{
  snprintf(slot(h), sizeof h->buf[0], "%lld", v);
  put(h, label, slot(h));
}

/* The block the text starts with (the workbook's too). */
static void head_fill(cli_ctx *ctx, filing_head *h, const cbc_filing *f)
{
  const size_t size = sizeof h->buf[0];
  h->n = 0;
  put_int(h, "编号", (long long)f->id);
  put(h, "报表", kind_label(f->kind));
  put(h, "填报单位", act_unit_text(ctx, f->unit_id, slot(h), size));
  if (f->hazard_id)
    put_int(h, "隐患编号", (long long)f->hazard_id);
  else
    put(h, "统计期间", period_text(ctx, &f->period, slot(h)));
  put_int(h, "版本", f->version);
  put(h, "填报人", act_employee_text(ctx, f->filed_by, slot(h), size));
  put(h, "签发人", act_employee_text(ctx, f->signed_by, slot(h), size));
  put(h, "填报时间", cli_time_text(ctx, f->filed_at, slot(h)));
  put(h, "报送期限", due_day(ctx, f->due_at, slot(h)));
  put(h, "报送情况", state_label(f->late ? CBC_FILING_LATE : CBC_FILING_ON_TIME));
  if (f->note && f->note[0])
    put(h, "备注", f->note);
}

static void header(cli_ctx *ctx, FILE *out, const cbc_filing *f)
{
  filing_head h;
  head_fill(ctx, &h, f);
  for (size_t i = 0; i < h.n; i++)
    field(out, h.label[i], h.value[i]);
}

typedef struct show_arg {
  const cbc_filing *filing;
  int format;
} show_arg;

static int show_json(cli_ctx *ctx, FILE *out, const cbc_filing *f)
{
  json_error_t err;
  json_t *report = json_loads(f->json, 0, &err);
  if (!report) /* the library keeps only what it rendered */
    return cli_failf(ctx, CLI_INTERNAL, "the filed report is not JSON: %s", err.text);
  json_t *doc = filing_json(ctx, f);
  if (!doc || json_object_set_new(doc, "report", report) != 0) {
    json_decref(doc);
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  }
  return cli_write_json(doc, out);
}

static int show_to(cli_ctx *ctx, FILE *out, const void *arg)
{
  const show_arg *a = arg;
  const cbc_filing *f = a->filing;
  if (a->format == SHOW_JSON)
    return show_json(ctx, out, f);
  if (a->format == SHOW_TEXT) {
    header(ctx, out, f);
    fputc('\n', out);
  }
  const char *body = a->format == SHOW_CSV ? f->csv : f->text;
  return fputs(body, out) < 0 ? CLI_IO : CLI_OK;
}

/* --format and --json into *format; --output "-" is stdout. */
static int show_format_of(cli_ctx *ctx, const char *text, const char **output, int *format)
{
  static const char *const names[] = {"text", "csv", "json", "xlsx"};
  *format = ctx->json ? SHOW_JSON : SHOW_TEXT;
  for (int i = 0; text && i < 4; i++)
    *format = strcmp(text, names[i]) == 0 ? i : *format;
  if (text && strcmp(text, names[*format]) != 0)
    return cli_usage_error(ctx, "unknown --format '%s' (text, csv, json or xlsx)", text);
  if (ctx->json && *format != SHOW_JSON)
    return cli_usage_error(ctx, "--json is --format json, not --format %s", text);
  if (*output && strcmp(*output, "-") == 0)
    *output = NULL;
  if (*output && !**output)
    return cli_usage_error(ctx, "--output needs a file name");
  if (*format == SHOW_XLSX && !*output && isatty(STDOUT_FILENO))
    return cli_usage_error(ctx, "an xlsx workbook is binary: write it with --output FILE "
                                "(or redirect stdout to a file)");
  return CLI_OK;
}

/* The workbook: the text's block, then the report made from its JSON. */
static int show_xlsx(cli_ctx *ctx, const char *output, const cbc_filing *f)
{
  filing_head h;
  head_fill(ctx, &h, f);
  filing_book book = {f->kind, f->json, &h};
  return cli_write_named(ctx, output, filing_write_xlsx, &book);
}

/* The filing the arguments name: by --id (one positional), by --hazard
 * [--version N] (one positional), or by KIND UNIT PERIOD [--version N]. */
static int show_load(cli_ctx *ctx, const char *const *pos, const char *id_text,
                     const char *hazard_text, const char *version_text, cbc_filing **f)
{
  int64_t id = 0, hazard = 0, version = 0;
  filing_target t;
  int rc;
  if (hazard_text) {
    if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
        (rc = cli_int(ctx, "--hazard", hazard_text, 1, INT64_MAX, &hazard)) != CLI_OK ||
        (version_text && (rc = cli_int(ctx, "--version", version_text, 0, INT_MAX, &version))))
      return rc;
    rc = cbc_filing_get_for_hazard(f, ctx->db, hazard, (int)version);
    return rc ? cli_fail(ctx, rc) : CLI_OK;
  }
  if (id_text) {
    if ((rc = cli_open(ctx, pos[0], 0)) != CLI_OK ||
        (rc = cli_int(ctx, "--id", id_text, 1, INT64_MAX, &id)) != CLI_OK)
      return rc;
    rc = cbc_filing_lookup(f, ctx->db, id);
    return rc ? cli_fail(ctx, rc) : CLI_OK;
  }
  if ((rc = open_target(ctx, pos[0], pos[1], pos[2], pos[3], &t)) != CLI_OK ||
      (version_text && (rc = cli_int(ctx, "--version", version_text, 0, INT_MAX, &version))))
    return rc;
  rc = cbc_filing_get(f, ctx->db, t.unit, (cbc_filing_kind)t.kind, &t.period, (int)version);
  return rc ? cli_fail(ctx, rc) : CLI_OK;
}

static int cmd_show(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[4], *format_text = NULL, *output = NULL, *id = NULL, *version = NULL;
  const char *hazard = NULL;
  cli_opt opts[] = {{"--version", CLI_STRING, &version}, {"--id", CLI_STRING, &id},
                    {"--hazard", CLI_STRING, &hazard},
                    {"--format", CLI_STRING, &format_text},
                    {"--output", CLI_STRING, &output}, FILING_OPTS_END};
  int format;
  int rc = cli_parse(ctx, show_usage, opts, argc, argv, pos, 1, 4);
  if (rc != CLI_OK)
    return rc;
  if (id && (pos[1] || version || hazard))
    return cli_usage_error(ctx, "--id names the filing: no KIND UNIT PERIOD, no --hazard, "
                                "no --version");
  if (hazard && pos[1])
    return cli_usage_error(ctx, "--hazard names the report: no KIND UNIT PERIOD");
  if (!id && !hazard && pos[1] && for_a_hazard(pos[1]))
    return cli_usage_error(ctx, "the major-hazard report is filed for a hazard, not a period: "
                                "--hazard HAZARD");
  if (!id && !hazard && !pos[3])
    return cli_usage_error(ctx, "missing arguments: KIND UNIT PERIOD, --hazard HAZARD, or "
                                "--id FILING");
  if ((rc = show_format_of(ctx, format_text, &output, &format)) != CLI_OK)
    return rc;
  cbc_filing *f = NULL;
  if ((rc = show_load(ctx, pos, id, hazard, version, &f)) != CLI_OK)
    return rc;
  show_arg arg = {f, format};
  rc = format == SHOW_XLSX ? show_xlsx(ctx, output, f)
                           : cli_write_stream(ctx, output, show_to, &arg);
  cbc_filing_free(f);
  return rc;
}

/* ------------------------------------------------------------------ */
/* status                                                              */

static const char status_usage[] =
  "usage: cbc filing status DB KIND UNIT PERIOD [--json]\n"
  "\n"
  "Who owes UNIT the report KIND for PERIOD, and where each stands: on time\n"
  "(按时报送: its first version came by the due date), late (逾期报送),\n"
  "missing (未报送: nothing came and the due date has passed) or pending\n"
  "(未到报送期限: nothing yet, the due date has not passed).  The monthly form\n"
  "is owed by UNIT's open children that are enterprises or region nodes; the\n"
  "hazard table by every open enterprise of UNIT's subtree.  A table of the\n"
  "units (id, name, state, versions filed, first and last filed), then the\n"
  "counts.\n"
  "\n"
  "  --json   {\"unit\", \"kind\", \"period\", \"due_at\", \"due_date\", \"at\", \"counts\":\n"
  "           {\"total\", \"on_time\", \"late\", \"missing\", \"pending\"}, \"entries\":\n"
  "           [{\"unit\", \"state\", \"versions\", \"first_filed_at\", \"last_filed_at\"}]}\n";

static json_t *status_entries_json(cli_ctx *ctx, const cbc_filing_status *st)
{
  json_t *list = json_array();
  for (size_t i = 0; list && i < st->n_entries; i++) {
    const cbc_filing_status_entry *e = &st->entries[i];
    json_array_append_new(list, json_pack("{s:o,s:s,s:i,s:o,s:o}", "unit",
                                          cli_json_unit_ref(ctx, e->unit_id), "state",
                                          cbc_filing_state_name(e->state), "versions",
                                          e->versions, "first_filed_at",
                                          cli_json_time(ctx, e->first_filed_at),
                                          "last_filed_at", cli_json_time(ctx, e->last_filed_at)));
  }
  return list;
}

static int status_json(cli_ctx *ctx, const cbc_filing_status *st)
{
  char day[40];
  json_t *counts = json_pack("{s:I,s:I,s:I,s:I,s:I}", "total", (json_int_t)st->n_entries,
                             "on_time", (json_int_t)st->on_time, "late", (json_int_t)st->late,
                             "missing", (json_int_t)st->missing, "pending",
                             (json_int_t)st->pending);
  return cli_print_json(json_pack(
    "{s:o,s:s,s:o,s:o,s:s,s:o,s:o,s:o}", "unit", cli_json_unit_ref(ctx, st->unit_id), "kind",
    kind_name(st->kind), "period", form_period_json(ctx, &st->period), "due_at",
    cli_json_time(ctx, st->due_at), "due_date", due_day(ctx, st->due_at, day), "at",
    cli_json_time(ctx, st->at), "counts", counts, "entries", status_entries_json(ctx, st)));
}

static int status_row(cli_ctx *ctx, cli_table *t, const cbc_filing_status_entry *e)
{
  char ext[128] = "?", versions[16], first[40], last[40];
  cbc_unit *u = NULL;
  cbc_unit_lookup(&u, ctx->db, e->unit_id);
  if (u)
    snprintf(ext, sizeof ext, "%s", u->external_id);
  snprintf(versions, sizeof versions, "%d", e->versions);
  const char *row[] = {ext, u ? u->name : "?", state_label(e->state), versions,
                       cli_time_text(ctx, e->first_filed_at, first),
                       cli_time_text(ctx, e->last_filed_at, last)};
  int rc = cli_table_row(t, row);
  cbc_unit_free(u);
  return rc;
}

static int status_text(cli_ctx *ctx, const cbc_filing_status *st)
{
  static const char *const head[] = {"单位编号", "单位名称", "报送情况", "版本数",
                                     "首次报送", "最近报送"};
  char unit[512], period[CBC_PERIOD_TEXT_MAX], day[40];
  printf("%s  %s  %s  报送期限：%s\n", act_unit_text(ctx, st->unit_id, unit, sizeof unit),
         kind_label(st->kind), period_text(ctx, &st->period, period),
         due_day(ctx, st->due_at, day));
  cli_table *t = st->n_entries ? cli_table_new(6, head) : NULL;
  for (size_t i = 0; t && i < st->n_entries; i++)
    if (status_row(ctx, t, &st->entries[i]) != 0) {
      cli_table_free(t);
      return cli_failf(ctx, CLI_INTERNAL, "out of memory");
    }
  if (st->n_entries && !t)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  if (t) {
    fputc('\n', stdout);
    cli_table_print(t, stdout);
  }
  printf("\n共 %zu 个单位：%s %zu，%s %zu，%s %zu，%s %zu\n", st->n_entries,
         state_label(CBC_FILING_ON_TIME), st->on_time, state_label(CBC_FILING_LATE), st->late,
         state_label(CBC_FILING_MISSING), st->missing, state_label(CBC_FILING_PENDING),
         st->pending);
  return CLI_OK;
}

static int cmd_status(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[4];
  filing_target t;
  cbc_filing_status *st = NULL;
  int rc = cli_parse(ctx, status_usage, NULL, argc, argv, pos, 4, 4);
  if (rc != CLI_OK || (rc = open_target(ctx, pos[0], pos[1], pos[2], pos[3], &t)) != CLI_OK)
    return rc;
  rc = cbc_filing_status_get(&st, ctx->db, t.unit, (cbc_filing_kind)t.kind, &t.period);
  if (rc != 0)
    return cli_fail(ctx, rc);
  rc = ctx->json ? status_json(ctx, st) : status_text(ctx, st);
  cbc_filing_status_free(st);
  return rc;
}

/* ------------------------------------------------------------------ */
/* due                                                                 */

static const char due_usage[] =
  "usage: cbc filing due DB KIND PERIOD [--json]\n"
  "\n"
  "The due date of the report KIND for PERIOD: the hazard table's is the 15th\n"
  "of the month after a quarter, 31 January after a year; the monthly form's\n"
  "follows the current policy (monthly_form_due_day, by default the 25th of\n"
  "the month).  A report is due by the last second of its due day.  Prints\n"
  "the day.\n"
  "\n"
  "  --json   {\"kind\", \"period\", \"due_date\", \"due_at\"}\n";

static int cmd_due(cli_ctx *ctx, int argc, char **argv)
{
  const char *pos[3];
  filing_target t;
  int64_t due = 0;
  char day[40];
  int rc = cli_parse(ctx, due_usage, NULL, argc, argv, pos, 3, 3);
  if (rc != CLI_OK || (rc = open_target(ctx, pos[0], pos[1], NULL, pos[2], &t)) != CLI_OK)
    return rc;
  if ((rc = cbc_filing_due(&due, ctx->db, (cbc_filing_kind)t.kind, &t.period)) != 0)
    return cli_fail(ctx, rc);
  if (ctx->json)
    return cli_print_json(json_pack("{s:s,s:o,s:s,s:o}", "kind", kind_name(t.kind), "period",
                                    form_period_json(ctx, &t.period), "due_date",
                                    due_day(ctx, due, day), "due_at", cli_json_time(ctx, due)));
  printf("%s\n", due_day(ctx, due, day));
  return CLI_OK;
}

/* ------------------------------------------------------------------ */

static const cli_command filing_commands[] = {
  {"submit", cmd_submit, "file a report for a period: a new, unchangeable version"},
  {"report-major", cmd_report_major, "file the report of a major hazard: a new version"},
  {"show", cmd_show, "a filed report exactly as it was filed, with who and when"},
  {"status", cmd_status, "who under a node filed on time, late, or not at all"},
  {"due", cmd_due, "the due date of a report for a period"},
  {NULL, NULL, NULL}
};

int cmd_filing(cli_ctx *ctx, int argc, char **argv)
{
  return cli_dispatch(ctx, "filing",
                      "Filing reports (填报/报送, docs/filing.md): the monthly form and the hazard\n"
                      "table, each filed for a period, and the report of a major hazard, each\n"
                      "as a kept, unchangeable version.",
                      filing_commands, argc, argv);
}
