/* The 1.0 consumer: version, errors, struct versions, and the organisation
 * (units, employees, HR sync and import) as 1.0 declared them. */
#include "consumer_1_0.h"

#include <stdio.h>
#include <string.h>

/* ---- version, error codes, struct versions ---- */

static void check_version(void)
{
  int major = -1, minor = -1, patch = -1;
  const char *v = cbc_version(&major, &minor, &patch);
  CHECK(v != NULL && major == 1 && minor >= 0 && patch >= 0);
  CHECK(cbc_version(NULL, NULL, NULL) == v);
  char expect[32];
  snprintf(expect, sizeof(expect), "%d.%d.%d", major, minor, patch);
  CHECK(strcmp(v, expect) == 0);
  CHECK(CBC_VERSION_NUMBER == 0x010000);
}

/* The codes 1.0 knew keep their numbers and names. */
static void check_error_codes(void)
{
  static const struct { int code; const char *name; } codes[] = {
    { CBC_OK, "CBC_OK" }, { CBC_ENOTFOUND, "CBC_ENOTFOUND" }, { CBC_EINVAL, "CBC_EINVAL" },
    { CBC_ESTATE, "CBC_ESTATE" }, { CBC_EPERM, "CBC_EPERM" },
    { CBC_ECONFLICT, "CBC_ECONFLICT" }, { CBC_EBUSY, "CBC_EBUSY" },
    { CBC_ENOMEM, "CBC_ENOMEM" }, { CBC_EIO, "CBC_EIO" }, { CBC_ECORRUPT, "CBC_ECORRUPT" },
    { CBC_EVERSION, "CBC_EVERSION" }, { CBC_ITEROVER, "CBC_ITEROVER" },
  };
  for (size_t i = 0; i < COUNT(codes); i++) {
    CHECK(codes[i].code == -(int)i);
    CHECK(strcmp(cbc_error_name(codes[i].code), codes[i].name) == 0);
  }
  CHECK(strcmp(cbc_error_name(12345), "unknown") == 0);
  cbc_error_clear();
  CHECK(cbc_error_last()->code == 0 && strcmp(cbc_error_last()->message, "no error") == 0);
}

/* Each *_init() asked for version 1 fills a 1.0-sized struct and nothing
 * past it (the caller's struct ends there), and sets its version. */
#define INIT_V1(type, init_fn)                                          \
  do {                                                                  \
    union { type rec; unsigned char bytes[sizeof(type) + 32]; } buf;   \
    memset(&buf, 0xA5, sizeof(buf));                                    \
    OK(init_fn(&buf.rec, 1));                                           \
    CHECK(buf.rec.version == 1);                                        \
    for (size_t i = sizeof(type); i < sizeof(buf); i++)                 \
      CHECK(buf.bytes[i] == 0xA5);                                      \
    ERR(init_fn(&buf.rec, 0), CBC_EINVAL);                              \
    ERR(init_fn(NULL, 1), CBC_EINVAL);                                  \
  } while (0)

static void check_struct_versions(void)
{
  CHECK(CBC_DB_OPTIONS_VERSION == 1 && CBC_UNIT_RECORD_VERSION == 1 &&
        CBC_EMPLOYEE_RECORD_VERSION == 1 && CBC_SYNC_OPTIONS_VERSION == 1 &&
        CBC_HAZARD_RECORD_VERSION == 1 && CBC_HAZARD_REGISTRATION_VERSION == 1 &&
        CBC_HAZARD_FILTER_VERSION == 1 && CBC_ATTACHMENT_VERSION == 1 &&
        CBC_TRAINING_RECORD_VERSION == 1 && CBC_DRILL_RECORD_VERSION == 1 &&
        CBC_VISIT_RECORD_VERSION == 1 && CBC_PROPOSAL_RECORD_VERSION == 1 &&
        CBC_FINE_RECORD_VERSION == 1 && CBC_ALLOCATOR_VERSION == 1);
  cbc_db_options o, d = CBC_DB_OPTIONS_INIT;
  memset(&o, 0, sizeof(o));
  OK(cbc_db_options_init(&o, CBC_DB_OPTIONS_VERSION));
  CHECK(o.version == d.version && o.flags == d.flags && o.busy_timeout_ms == d.busy_timeout_ms &&
        o.utc_offset_seconds == d.utc_offset_seconds && o.synchronous == d.synchronous &&
        !o.clock && !o.clock_payload);
  ERR(cbc_db_options_init(&o, 0), CBC_EINVAL);
  INIT_V1(cbc_unit_record, cbc_unit_record_init);
  INIT_V1(cbc_employee_record, cbc_employee_record_init);
  INIT_V1(cbc_sync_options, cbc_sync_options_init);
  INIT_V1(cbc_training_record, cbc_training_record_init);
  INIT_V1(cbc_drill_record, cbc_drill_record_init);
  INIT_V1(cbc_visit_record, cbc_visit_record_init);
  INIT_V1(cbc_proposal_record, cbc_proposal_record_init);
  INIT_V1(cbc_fine_record, cbc_fine_record_init);
  cbc_employee_record er;
  OK(cbc_employee_record_init(&er, 1));
  CHECK(er.active == 1 && er.external_id == NULL && er.roles == 0 && er.hire_date == 0);
  cbc_sync_options so, sd = CBC_SYNC_OPTIONS_INIT;
  OK(cbc_sync_options_init(&so, 1));
  CHECK(so.mode == sd.mode && so.flags == sd.flags && so.max_errors == sd.max_errors &&
        so.effective_at == 0);
}

static void check_names(void)
{
  unsigned int roles = 0;
  OK(cbc_roles_parse(&roles, "team_leader | worker"));
  CHECK(roles == (CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER));
  ERR(cbc_roles_parse(&roles, "foreman"), CBC_EINVAL);
  CHECK(strcmp(cbc_role_name(CBC_ROLE_BUREAU_INSPECTOR), "bureau_inspector") == 0);
  CHECK(cbc_role_name(CBC_ROLE_WORKER | CBC_ROLE_EXPERT) == NULL);
  CHECK(strcmp(cbc_unit_kind_name(CBC_UNIT_WORKSHOP), "workshop") == 0);
  CHECK(strcmp(cbc_hazard_state_name(CBC_HAZARD_PENDING_VERIFICATION),
               "PENDING_VERIFICATION") == 0);
  CHECK(strcmp(cbc_hazard_action_name(CBC_ACTION_FILE_PLAN), "FILE_PLAN") == 0);
  CHECK(strcmp(cbc_level_name(CBC_LEVEL_ENTERPRISE), "ENTERPRISE") == 0);
  CHECK(cbc_level_name((cbc_level)9) == NULL);
  CHECK(strcmp(cbc_reward_rule_name(CBC_RULE_MAJOR_HAZARD), "major_hazard") == 0);
  CHECK(cbc_training_kind_name(CBC_TRAINING_LEADER_CLASS) != NULL);
}

void c10_exercise_basics(void)
{
  check_version();
  check_error_codes();
  check_struct_versions();
  check_names();
}

/* ---- the organisation ---- */

static const cbc_unit_record c10_units[] = {
  { 1, "C10-CITY", NULL, CBC_UNIT_REGION, "兼容市总工会", NULL, 0 },
  { 1, "C10-DIST", "C10-CITY", CBC_UNIT_REGION, "兼容区总工会", NULL, 0 },
  { 1, "C10-ENT", "C10-DIST", CBC_UNIT_ENTERPRISE, "一点零钢铁厂", "冶金", 1 },
  { 1, "C10-WS1", "C10-ENT", CBC_UNIT_WORKSHOP, "轧钢车间", NULL, 0 },
  { 1, "C10-WS2", "C10-ENT", CBC_UNIT_WORKSHOP, "安全环保科", NULL, 0 },
  { 1, "C10-TA", "C10-WS1", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "C10-TB", "C10-WS1", CBC_UNIT_TEAM, "乙班", NULL, 0 },
  { 1, "C10-TO", "C10-WS2", CBC_UNIT_TEAM, "科室组", NULL, 0 },
};

static const cbc_employee_record c10_people[] = {
  { 1, "C10-L1", "李强", "甲班班长", "C10-TA", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "C10-A1", "王芳", "轧机操作工", "C10-TA", CBC_ROLE_WORKER | CBC_ROLE_EMPLOYEE_REP, 1, 0 },
  { 1, "C10-A2", "张伟", "天车工", "C10-TA", CBC_ROLE_WORKER, 1, 0 },
  { 1, "C10-L2", "刘洋", "乙班班长", "C10-TB", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "C10-B1", "陈静", "轧机操作工", "C10-TB", CBC_ROLE_WORKER, 1, 0 },
  { 1, "C10-D1", "马超", "轧钢车间主任", "C10-TA", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "C10-D2", "赵敏", "科长", "C10-TO", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "C10-P1", "孙华", "厂长", "C10-TO", CBC_ROLE_PRINCIPAL, 1, 0 },
  { 1, "C10-S1", "周强", "安全员", "C10-TO", CBC_ROLE_SAFETY_OFFICER, 1, 0 },
  { 1, "C10-Q1", "钱进", "司机", "C10-TB", CBC_ROLE_WORKER, 1, 0 },
  { 1, "C10-U1", "何静", "工会干部", "C10-DIST", CBC_ROLE_UNION_CADRE, 1, 0 },
  { 1, "C10-I1", "高峰", "监察员", "C10-DIST", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
};

static void sync_org(c10 *s)
{
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.flags = CBC_SYNC_STRICT;
  opts.effective_at = s->now - 300 * C10_DAY; /* they joined long ago */
  cbc_sync_result *res = NULL;
  OK(cbc_org_sync(&res, s->db, c10_units, COUNT(c10_units), c10_people, COUNT(c10_people),
                  &opts));
  CHECK(res->units.added == COUNT(c10_units) && res->employees.added == COUNT(c10_people));
  CHECK(res->error_count == 0 && res->errors_kept == 0 && res->applied == 1);
  cbc_sync_result_free(res);
  OK(cbc_org_sync(&res, s->db, c10_units, COUNT(c10_units), c10_people, COUNT(c10_people),
                  &opts));
  CHECK(res->units.unchanged == COUNT(c10_units));
  CHECK(res->employees.unchanged == COUNT(c10_people) && res->employees.added == 0);
  cbc_sync_result_free(res);
}

/* A bad row: reported and skipped, or (strict) the whole batch refused. */
static void sync_bad_row(c10 *s)
{
  cbc_employee_record bad[] = {
    { 1, "C10-N1", "新员工", "学徒", "C10-TB", CBC_ROLE_WORKER, 1, C10_BASE - 20 * C10_DAY },
    { 1, "C10-BAD", "无班组", NULL, "C10-NOWHERE", 0, 1, 0 },
  };
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.flags = CBC_SYNC_STRICT;
  cbc_sync_result *res = NULL;
  CHECK(cbc_org_sync(&res, s->db, NULL, 0, bad, 2, &opts) != 0);
  CHECK(res != NULL && res->error_count == 1 && res->applied == 0);
  cbc_sync_result_free(res);
  res = NULL;
  opts.flags = 0;
  OK(cbc_org_sync(&res, s->db, NULL, 0, bad, 2, &opts));
  CHECK(res->employees.added == 1 && res->error_count == 1 && res->errors_kept == 1);
  CHECK(res->errors[0].record == CBC_RECORD_EMPLOYEE && res->errors[0].row == 1);
  CHECK(strcmp(res->errors[0].external_id, "C10-BAD") == 0 && res->errors[0].message[0]);
  cbc_sync_result_free(res);
  cbc_employee *e = NULL;
  ERR(cbc_employee_lookup_external(&e, s->db, "C10-BAD"), CBC_ENOTFOUND);
}

static void check_units(c10 *s)
{
  int64_t ws2 = c10_unit(s, "C10-WS2"), ent = c10_unit(s, "C10-ENT"), id = 0;
  cbc_unit_record r = CBC_UNIT_RECORD_INIT;
  r.external_id = "C10-SPARE";
  r.parent_external_id = "C10-WS1";
  r.kind = CBC_UNIT_TEAM;
  r.name = "备用班";
  OK(cbc_unit_upsert(&id, s->db, &r));
  OK(cbc_unit_rename(s->db, id, "丙班"));
  OK(cbc_unit_move(s->db, id, ws2));
  ERR(cbc_unit_move(s->db, id, id), CBC_ESTATE);
  cbc_unit *u = NULL;
  OK(cbc_unit_lookup(&u, s->db, id));
  CHECK(strcmp(u->name, "丙班") == 0 && u->parent_id == ws2 && u->kind == CBC_UNIT_TEAM);
  CHECK(u->closed == 0 && u->closed_at == 0 && strcmp(u->external_id, "C10-SPARE") == 0);
  cbc_unit_free(u);
  OK(cbc_unit_close(s->db, id));
  ERR(cbc_unit_close(s->db, id), CBC_ESTATE);
  ERR(cbc_unit_close(s->db, ent), CBC_ESTATE); /* open children */
  OK(cbc_unit_lookup(&u, s->db, id));
  CHECK(u->closed == 1 && u->closed_at == s->now);
  cbc_unit_free(u);
  ERR(cbc_unit_lookup(&u, s->db, 987654321), CBC_ENOTFOUND);
  CHECK(u == NULL);
  r.external_id = "";
  ERR(cbc_unit_upsert(NULL, s->db, &r), CBC_EINVAL);
}

static void check_unit_iterators(c10 *s)
{
  int64_t city = c10_unit(s, "C10-CITY"), ent = c10_unit(s, "C10-ENT");
  cbc_unit_iter *it;
  const cbc_unit *u;
  int64_t last = 0;
  size_t n = 0;
  int rc;
  OK(cbc_unit_iter_children(&it, s->db, ent));
  while ((rc = cbc_unit_iter_next(&u, it)) == 0) {
    CHECK(u->parent_id == ent && u->kind == CBC_UNIT_WORKSHOP && u->id > last);
    last = u->id;
    n++;
  }
  CHECK(rc == CBC_ITEROVER);
  cbc_unit_iter_free(it);
  CHECK(n == 2);
  int64_t seen[64];
  n = 0;
  OK(cbc_unit_iter_subtree(&it, s->db, city));
  while (cbc_unit_iter_next(&u, it) == 0) {
    int parent_seen = n == 0;
    for (size_t i = 0; i < n; i++)
      parent_seen |= seen[i] == u->parent_id;
    CHECK(parent_seen && n < COUNT(seen));
    seen[n++] = u->id;
  }
  cbc_unit_iter_free(it);
  CHECK(n == COUNT(c10_units) + 1 && seen[0] == city); /* with the closed spare */
  ERR(cbc_unit_iter_subtree(&it, s->db, 987654321), CBC_ENOTFOUND);
}

static void check_employees(c10 *s)
{
  int64_t a2 = c10_person(s, "C10-A2"), q1 = c10_person(s, "C10-Q1");
  int64_t tb = c10_unit(s, "C10-TB"), ta = c10_unit(s, "C10-TA");
  OK(cbc_employee_transfer(s->db, a2, tb, s->now - 2 * C10_DAY));
  ERR(cbc_employee_transfer(s->db, a2, tb, 0), CBC_EINVAL); /* same unit */
  OK(cbc_employee_deactivate(s->db, q1, s->now - C10_DAY));
  ERR(cbc_employee_deactivate(s->db, q1, 0), CBC_ESTATE);
  cbc_employee *e = NULL;
  OK(cbc_employee_lookup(&e, s->db, a2));
  CHECK(e->unit_id == tb && e->active == 1 && e->unit_since == s->now - 2 * C10_DAY);
  CHECK(strcmp(e->post, "天车工") == 0 && e->roles == CBC_ROLE_WORKER && e->left_at == 0);
  cbc_employee_free(e);
  cbc_employee_event *h = NULL;
  size_t n = 0;
  OK(cbc_employee_history(&h, &n, s->db, a2));
  CHECK(n == 2 && h[0].kind == CBC_EMPLOYEE_JOINED && h[1].kind == CBC_EMPLOYEE_TRANSFERRED);
  CHECK(h[1].from_unit == ta && h[1].to_unit == tb && h[1].employee_id == a2);
  cbc_free(h);
  OK(cbc_employee_history(&h, &n, s->db, q1));
  CHECK(n == 2 && h[1].kind == CBC_EMPLOYEE_LEFT && h[1].at == s->now - C10_DAY);
  cbc_free(h);
}

static size_t count_people(c10 *s, int64_t unit, unsigned int flags, int64_t must_hold)
{
  cbc_employee_iter *it;
  const cbc_employee *e;
  size_t n = 0, held = 0;
  OK(cbc_employee_iter_subtree(&it, s->db, unit, flags));
  while (cbc_employee_iter_next(&e, it) == 0) {
    n++;
    held += e->id == must_hold;
  }
  cbc_employee_iter_free(it);
  CHECK(held == (must_hold != 0));
  return n;
}

static void check_responsible(c10 *s)
{
  int64_t ta = c10_unit(s, "C10-TA"), who = 0;
  OK(cbc_org_responsible(&who, s->db, ta, CBC_LEVEL_TEAM));
  CHECK(who == c10_person(s, "C10-L1"));
  OK(cbc_org_responsible(&who, s->db, ta, CBC_LEVEL_WORKSHOP));
  CHECK(who == c10_person(s, "C10-D1"));
  OK(cbc_org_responsible(&who, s->db, ta, CBC_LEVEL_ENTERPRISE));
  CHECK(who == c10_person(s, "C10-P1"));
  ERR(cbc_org_responsible(&who, s->db, ta, CBC_LEVEL_INDIVIDUAL), CBC_EINVAL);
  ERR(cbc_org_responsible(&who, s->db, c10_unit(s, "C10-DIST"), CBC_LEVEL_TEAM), CBC_ENOTFOUND);
}

static int progress(const cbc_import_progress *p, void *payload)
{
  CHECK(p->bytes <= p->total_bytes);
  (*(size_t *)payload)++;
  return 0;
}

static void write_text(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  fputs(text, f);
  CHECK(fclose(f) == 0);
}

/* HR files, as 1.0 documented their columns. */
static void import_files(c10 *s)
{
  char units[4200], people[4200];
  snprintf(units, sizeof(units), "%s/c10-units.csv", s->dir);
  snprintf(people, sizeof(people), "%s/c10-employees.json", s->dir);
  write_text(units, "external_id,parent_external_id,kind,name\r\n"
                    "C10-TC,C10-WS2,team,检修班\r\n");
  write_text(people, "[{\"external_id\": \"C10-C1\", \"name\": \"吴刚\", \"post\": \"钳工\","
                     " \"unit_external_id\": \"C10-TC\", \"roles\": \"worker\","
                     " \"active\": true, \"hire_date\": \"2019-03-01\"}]");
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.flags = CBC_SYNC_STRICT;
  cbc_sync_result *res = NULL;
  size_t calls = 0;
  OK(cbc_org_import(&res, s->db, units, people, CBC_FORMAT_AUTO, &opts, progress, &calls));
  CHECK(res->units.added == 1 && res->employees.added == 1 && calls >= 2);
  cbc_sync_result_free(res);
  res = NULL;
  ERR(cbc_org_import(&res, s->db, "/nonexistent/units.csv", NULL, CBC_FORMAT_CSV, &opts, NULL,
                     NULL), CBC_ENOTFOUND);
  cbc_sync_result_free(res);
  remove(units);
  remove(people);
}

void c10_exercise_org(c10 *s)
{
  sync_org(s);
  sync_bad_row(s);
  check_units(s);
  check_unit_iterators(s);
  check_employees(s);
  int64_t ent = c10_unit(s, "C10-ENT"), q1 = c10_person(s, "C10-Q1");
  size_t active = count_people(s, ent, 0, 0);
  CHECK(count_people(s, ent, CBC_EMPLOYEE_ITER_INACTIVE, q1) == active + 1);
  check_responsible(s);
  import_files(s);
}
