/* cbc demo: the district's organisation, as an HR system would send it. */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"

#include <stdlib.h>
#include <string.h>

typedef struct ent_spec {
  const char *name, *industry;
  int high_risk;
  const char *workshops[3];
} ent_spec;

static const ent_spec enterprises[DEMO_ENTERPRISES] = {
  {"济钢集团第二轧钢厂", "冶金", 1, {"炼钢车间", "轧钢车间", "设备维修车间"}},
  {"泉城食品有限公司", "食品制造", 0, {"生产车间", "包装车间", NULL}},
  {"鲁信化工股份有限公司", "化工", 1, {"合成车间", "罐区", "仓储车间"}},
  {"明湖建设集团第三项目部", "建筑施工", 1, {"土建工区", "安装工区", NULL}},
  {"趵突泉物流有限公司", "交通运输", 0, {"仓储部", "运输车队", NULL}},
};

static const char *const team_names[] = {"甲班", "乙班", "丙班"};
static const char *const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
  "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
  "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕"};
static const char *const given[] = {
  "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
  "超", "秀英", "华", "平", "刚", "桂英", "建华", "志强", "海燕", "建国", "红梅", "晓东",
  "丽", "鹏", "亮", "婷", "斌", "波", "宇", "浩", "凯", "健", "琳", "雪", "峰"};
static const char *const posts[] = {"操作工", "维修工", "电工", "焊工", "叉车司机", "质检员",
                                    "天车工", "巡检工"};

/* Records and the strings they point to, freed together. */
typedef struct org_records {
  cbc_unit_record units[128];
  cbc_employee_record people[640];
  size_t n_units, n_people;
  char text[640 + 128][4][48]; /* external id, name, post or parent, unit */
  size_t n_text;
} org_records;

static char *keep(org_records *r, int field, const char *s)
{
  char *dst = r->text[r->n_text][field];
  snprintf(dst, sizeof r->text[0][0], "%s", s);
  return dst;
}

static void add_unit(org_records *r, const char *ext, const char *parent, cbc_unit_kind kind,
                     const char *name, const char *industry, int high_risk)
{
  cbc_unit_record *u = &r->units[r->n_units++];
  cbc_unit_record_init(u, CBC_UNIT_RECORD_VERSION);
  u->external_id = keep(r, 0, ext);
  u->parent_external_id = parent ? keep(r, 2, parent) : NULL;
  u->name = keep(r, 1, name);
  u->kind = kind;
  u->industry = industry;
  u->high_risk = high_risk;
  r->n_text++;
}

static void add_person(demo *d, org_records *r, const char *ext, const char *unit,
                       const char *post, unsigned int roles)
{
  char name[48];
  cbc_employee_record *e = &r->people[r->n_people++];
  snprintf(name, sizeof name, "%s%s", surnames[demo_rand(d, 40)], given[demo_rand(d, 40)]);
  cbc_employee_record_init(e, CBC_EMPLOYEE_RECORD_VERSION);
  e->external_id = keep(r, 0, ext);
  e->name = keep(r, 1, name);
  e->post = keep(r, 2, post);
  e->unit_external_id = keep(r, 3, unit);
  e->roles = roles;
  e->active = 1;
  /* hired between 2005 and early 2026 */
  e->hire_date = INT64_C(1104537600) + (int64_t)demo_rand(d, 21 * 365) * 86400;
  r->n_text++;
}

/* The most characters an int takes in decimal ("-2147483648"): the buffers
 * below are sized from it, so no text made from an int is ever cut short. */
#define INT_CHARS 11

/* One workshop: 2 or 3 teams of 8 to 11, each led by a team leader. */
static void workshop_records(demo *d, org_records *r, int e, int w, int *serial)
{
  char ws[sizeof "E-W" + 2 * INT_CHARS], team[sizeof ws + sizeof "-T" + INT_CHARS];
  char ext[sizeof "E-" + 2 * INT_CHARS], parent[sizeof "E" + INT_CHARS];
  snprintf(parent, sizeof parent, "E%02d", e + 1);
  snprintf(ws, sizeof ws, "E%02d-W%d", e + 1, w + 1);
  add_unit(r, ws, parent, CBC_UNIT_WORKSHOP, enterprises[e].workshops[w], NULL, 0);
  int teams = 2 + (int)demo_rand(d, 2);
  for (int t = 0; t < teams; t++) {
    snprintf(team, sizeof team, "%s-T%d", ws, t + 1);
    add_unit(r, team, ws, CBC_UNIT_TEAM, team_names[t], NULL, 0);
    int size = 8 + (int)demo_rand(d, 4);
    for (int m = 0; m < size; m++) {
      snprintf(ext, sizeof ext, "E%02d-%04d", e + 1, ++*serial);
      unsigned int roles = CBC_ROLE_WORKER;
      if (m == 0)
        roles |= CBC_ROLE_TEAM_LEADER;
      else if (m == 1)
        roles |= CBC_ROLE_EMPLOYEE_REP;
      add_person(d, r, ext, team, m == 0 ? "班组长" : posts[demo_rand(d, 8)], roles);
    }
    if (t == 0) { /* the director sits with the workshop's first team */
      snprintf(ext, sizeof ext, "E%02d-%04d", e + 1, ++*serial);
      add_person(d, r, ext, team, "车间主任", CBC_ROLE_WORKSHOP_DIRECTOR);
    }
  }
}

static void enterprise_records(demo *d, org_records *r, int e)
{
  char ext[sizeof "E-" + 2 * INT_CHARS], office[sizeof "E-OFF" + INT_CHARS];
  char team[sizeof office + sizeof "-T1"];
  int serial = 0;
  const ent_spec *s = &enterprises[e];
  snprintf(ext, sizeof ext, "E%02d", e + 1);
  add_unit(r, ext, "LX", CBC_UNIT_ENTERPRISE, s->name, s->industry, s->high_risk);
  snprintf(office, sizeof office, "E%02d-OFF", e + 1);
  add_unit(r, office, ext, CBC_UNIT_WORKSHOP, "安全环保科", NULL, 0);
  snprintf(team, sizeof team, "%s-T1", office);
  add_unit(r, team, office, CBC_UNIT_TEAM, "科室组", NULL, 0);
  snprintf(ext, sizeof ext, "E%02d-%04d", e + 1, ++serial);
  add_person(d, r, ext, team, "总经理", CBC_ROLE_PRINCIPAL);
  snprintf(ext, sizeof ext, "E%02d-%04d", e + 1, ++serial);
  add_person(d, r, ext, team, "安全员", CBC_ROLE_SAFETY_OFFICER | CBC_ROLE_EXPERT);
  for (int w = 0; w < 3 && s->workshops[w]; w++)
    workshop_records(d, r, e, w, &serial);
}

static void district_records(demo *d, org_records *r)
{
  add_unit(r, "JN", NULL, CBC_UNIT_REGION, "济南市总工会", NULL, 0);
  add_unit(r, "LX", "JN", CBC_UNIT_REGION, "历下区总工会", NULL, 0);
  add_person(d, r, "LX-C1", "LX", "区总工会劳动保护部部长", CBC_ROLE_UNION_CADRE);
  add_person(d, r, "LX-C2", "LX", "区总工会干事", CBC_ROLE_UNION_CADRE);
  add_person(d, r, "LX-I1", "LX", "区应急管理局监察员", CBC_ROLE_BUREAU_INSPECTOR);
  for (int e = 0; e < DEMO_ENTERPRISES; e++)
    enterprise_records(d, r, e);
}

/* ------------------------------------------------------------------ */
/* Back from external ids to libcbc's ids. */

static int64_t id_of_person(demo *d, const char *ext)
{
  cbc_employee *e = NULL;
  int64_t id = cbc_employee_lookup_external(&e, d->db, ext) == 0 ? e->id : 0;
  cbc_employee_free(e);
  return id;
}

static int64_t id_of_unit(demo *d, const char *ext)
{
  cbc_unit *u = NULL;
  int64_t id = cbc_unit_lookup_external(&u, d->db, ext) == 0 ? u->id : 0;
  cbc_unit_free(u);
  return id;
}

static demo_team *team_of(demo_enterprise *ent, int64_t unit)
{
  for (int t = 0; t < ent->n_teams; t++)
    if (ent->teams[t].unit == unit)
      return &ent->teams[t];
  return NULL;
}

static void place_units(demo *d, const org_records *r)
{
  for (size_t i = 0; i < r->n_units; i++) {
    const cbc_unit_record *u = &r->units[i];
    int e = atoi(u->external_id + 1) - 1;
    if (u->kind == CBC_UNIT_REGION || e < 0 || e >= DEMO_ENTERPRISES)
      continue;
    demo_enterprise *ent = &d->ent[e];
    int64_t id = id_of_unit(d, u->external_id);
    int office = strstr(u->external_id, "OFF") != NULL;
    if (u->kind == CBC_UNIT_ENTERPRISE)
      ent->unit = id;
    else if (u->kind == CBC_UNIT_WORKSHOP && !office)
      ent->workshops[ent->n_workshops++] = id;
    else if (u->kind == CBC_UNIT_TEAM && !office) {
      ent->team_workshop[ent->n_teams] = ent->n_workshops - 1;
      ent->teams[ent->n_teams++].unit = id;
    }
  }
}

static void place_person(demo *d, const cbc_employee_record *p)
{
  int e = atoi(p->external_id + 1) - 1;
  int64_t id = id_of_person(d, p->external_id), unit = id_of_unit(d, p->unit_external_id);
  if (p->roles & CBC_ROLE_UNION_CADRE)
    d->cadres[strcmp(p->external_id, "LX-C1") == 0 ? 0 : 1] = id;
  if (p->roles & CBC_ROLE_BUREAU_INSPECTOR)
    d->inspector = id;
  if (p->external_id[0] != 'E' || e < 0 || e >= DEMO_ENTERPRISES)
    return;
  demo_enterprise *ent = &d->ent[e];
  demo_team *team = team_of(ent, unit);
  if (p->roles & CBC_ROLE_PRINCIPAL)
    ent->principal = id;
  else if (p->roles & CBC_ROLE_SAFETY_OFFICER)
    ent->safety_officer = id;
  else if (p->roles & CBC_ROLE_WORKSHOP_DIRECTOR && team)
    ent->directors[ent->team_workshop[team - ent->teams]] = id;
  else if (team && (p->roles & CBC_ROLE_TEAM_LEADER))
    team->leader = id;
  else if (team && team->n_members < DEMO_MAX_TEAM_SIZE)
    team->members[team->n_members++] = id;
}

int demo_build_org(demo *d)
{
  org_records *r = calloc(1, sizeof *r);
  cbc_sync_options opts = CBC_SYNC_OPTIONS_INIT;
  cbc_sync_result *res = NULL;
  if (!r)
    return cli_failf(d->ctx, CLI_INTERNAL, "out of memory");
  district_records(d, r);
  opts.mode = CBC_SYNC_FULL;
  opts.flags = CBC_SYNC_STRICT;
  int rc = cbc_org_sync(&res, d->db, r->units, r->n_units, r->people, r->n_people, &opts);
  cbc_sync_result_free(res);
  if (rc == 0) {
    d->district = id_of_unit(d, "LX");
    place_units(d, r);
    for (size_t i = 0; i < r->n_people; i++)
      place_person(d, &r->people[i]);
  }
  free(r);
  return rc ? demo_fail(d, "the HR sync", rc) : CLI_OK;
}
