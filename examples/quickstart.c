/* quickstart: build a demo 查保促 database from an embedded HR export and
 * print the organisation it mirrors.
 *
 *   quickstart [DATABASE]      (default: an in-memory database)
 *
 * Uses only the public API (<cbc.h>). */
#include <cbc.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The demo "HR export": a district union with two enterprises. */
static const cbc_unit_record demo_units[] = {
  { 1, "JN", NULL, CBC_UNIT_REGION, "济南市总工会", NULL, 0 },
  { 1, "JN-LX", "JN", CBC_UNIT_REGION, "历下区总工会", NULL, 0 },
  { 1, "ENT-STEEL", "JN-LX", CBC_UNIT_ENTERPRISE, "济钢集团第二轧钢厂", "冶金", 1 },
  { 1, "WS-ROLL", "ENT-STEEL", CBC_UNIT_WORKSHOP, "轧钢车间", NULL, 0 },
  { 1, "WS-SAFE", "ENT-STEEL", CBC_UNIT_WORKSHOP, "安全环保科", NULL, 0 },
  { 1, "TM-A", "WS-ROLL", CBC_UNIT_TEAM, "甲班", NULL, 0 },
  { 1, "TM-B", "WS-ROLL", CBC_UNIT_TEAM, "乙班", NULL, 0 },
  { 1, "TM-OFF", "WS-SAFE", CBC_UNIT_TEAM, "科室组", NULL, 0 },
  { 1, "ENT-HOSP", "JN-LX", CBC_UNIT_ENTERPRISE, "历下区人民医院", "医疗卫生", 0 },
  { 1, "WS-LOG", "ENT-HOSP", CBC_UNIT_WORKSHOP, "后勤保障科", NULL, 0 },
  { 1, "TM-BOIL", "WS-LOG", CBC_UNIT_TEAM, "锅炉班", NULL, 0 },
};

static const cbc_employee_record demo_employees[] = {
  { 1, "E1001", "李强", "甲班班长", "TM-A", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1002", "王芳", "轧机操作工", "TM-A", CBC_ROLE_WORKER | CBC_ROLE_EMPLOYEE_REP, 1, 0 },
  { 1, "E1003", "张伟", "天车工", "TM-A", CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1004", "刘洋", "乙班班长", "TM-B", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1005", "陈静", "轧机操作工", "TM-B", CBC_ROLE_WORKER, 1, 0 },
  { 1, "E1009", "马超", "轧钢车间主任", "TM-A", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "E1006", "赵敏", "车间主任", "TM-OFF", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "E1007", "孙华", "厂长", "TM-OFF", CBC_ROLE_PRINCIPAL, 1, 0 },
  { 1, "E1008", "周强", "安全员", "TM-OFF", CBC_ROLE_SAFETY_OFFICER | CBC_ROLE_TEAM_LEADER, 1, 0 },
  { 1, "H2001", "吴刚", "锅炉班班长", "TM-BOIL", CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER, 1, 0 },
  { 1, "H2002", "郑丽", "司炉工", "TM-BOIL", CBC_ROLE_WORKER, 1, 0 },
  { 1, "H2003", "冯军", "院长", "TM-BOIL", CBC_ROLE_PRINCIPAL, 1, 0 },
  { 1, "H2004", "褚红", "后勤保障科科长", "TM-BOIL", CBC_ROLE_WORKSHOP_DIRECTOR, 1, 0 },
  { 1, "U3001", "何静", "工会干部", "JN-LX", CBC_ROLE_UNION_CADRE, 1, 0 },
  { 1, "B4001", "高峰", "应急管理局监察员", "JN-LX", CBC_ROLE_BUREAU_INSPECTOR, 1, 0 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int fail(const char *what)
{
  const cbc_error *e = cbc_error_last();
  fprintf(stderr, "quickstart: %s: %s (%s)\n", what, e->message, cbc_error_name(e->code));
  return 1;
}

static int sync_demo(cbc_db *db)
{
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  opts.mode = CBC_SYNC_FULL;
  opts.flags = CBC_SYNC_STRICT;
  cbc_sync_result *res = NULL;
  if (cbc_org_sync(&res, db, demo_units, COUNT(demo_units), demo_employees,
                   COUNT(demo_employees), &opts) != 0) {
    cbc_sync_result_free(res);
    return fail("HR sync");
  }
  printf("HR sync: units +%zu ~%zu =%zu, employees +%zu ~%zu =%zu\n\n", res->units.added,
         res->units.updated, res->units.unchanged, res->employees.added,
         res->employees.updated, res->employees.unchanged);
  cbc_sync_result_free(res);
  return 0;
}

static void print_roles(unsigned int roles)
{
  const char *sep = "";
  for (unsigned int bit = 1; bit & CBC_ROLE_ALL; bit <<= 1) {
    if (roles & bit) {
      printf("%s%s", sep, cbc_role_name(bit));
      sep = ",";
    }
  }
}

/* The people sitting directly in a team (or region node). */
static int print_members(cbc_db *db, const cbc_unit *unit, int depth)
{
  cbc_employee_iter *it;
  const cbc_employee *e;
  int rc;
  if (cbc_employee_iter_subtree(&it, db, unit->id, 0) != 0)
    return fail("listing employees");
  while ((rc = cbc_employee_iter_next(&e, it)) == 0) {
    if (e->unit_id != unit->id)
      continue;
    printf("%*s- %s %s (%s) [", depth * 2 + 2, "", e->external_id, e->name, e->post);
    print_roles(e->roles);
    printf("]\n");
  }
  cbc_employee_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : fail("listing employees");
}

static void print_responsible(cbc_db *db, const cbc_unit *unit)
{
  cbc_level level = unit->kind == CBC_UNIT_TEAM       ? CBC_LEVEL_TEAM
                    : unit->kind == CBC_UNIT_WORKSHOP ? CBC_LEVEL_WORKSHOP
                                                      : CBC_LEVEL_ENTERPRISE;
  int64_t who;
  cbc_employee *e = NULL;
  if (unit->kind == CBC_UNIT_REGION)
    return;
  if (cbc_org_responsible(&who, db, unit->id, level) == 0 &&
      cbc_employee_lookup(&e, db, who) == 0)
    printf("  responsible: %s", e->name);
  else
    printf("  responsible: (none)");
  cbc_employee_free(e);
}

/* Print the tree below @p id, children by id. */
static int print_tree(cbc_db *db, int64_t id, int depth)
{
  cbc_unit_iter *it;
  const cbc_unit *u;
  int rc;
  if (cbc_unit_iter_children(&it, db, id) != 0)
    return fail("listing units");
  while ((rc = cbc_unit_iter_next(&u, it)) == 0) {
    cbc_unit *copy = NULL;
    if (cbc_unit_lookup(&copy, db, u->id) != 0)
      break;
    printf("%*s%s %s [%s]%s", depth * 2, "", copy->external_id, copy->name,
           cbc_unit_kind_name(copy->kind), copy->high_risk ? " 高危" : "");
    print_responsible(db, copy);
    printf("\n");
    rc = print_members(db, copy, depth);
    if (!rc)
      rc = print_tree(db, copy->id, depth + 1);
    cbc_unit_free(copy);
    if (rc)
      break;
  }
  cbc_unit_iter_free(it);
  return rc == CBC_ITEROVER ? 0 : rc;
}

int main(int argc, char **argv)
{
  const char *path = argc > 1 ? argv[1] : ":memory:";
  cbc_db *db;
  printf("libcbc %s — 查身边隐患、保职工安全、促企业发展\ndatabase: %s\n\n",
         cbc_version(NULL, NULL, NULL), path);
  if (cbc_db_open(&db, path, NULL) != 0)
    return fail("opening the database");
  int rc = sync_demo(db);
  if (!rc) {
    printf("Organisation:\n");
    rc = print_tree(db, 0, 1);
  }
  cbc_db_close(db);
  return rc ? 1 : 0;
}
